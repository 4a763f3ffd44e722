package io.graphwal.wal;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Helpers shared by the log's tests: payloads that name their LSN, and reading a whole log back. */
final class WalFixtures {

    static final byte TYPE = 7;

    private WalFixtures() {
    }

    static ByteBuffer payload(String text) {
        return ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
    }

    static String text(ByteBuffer payload) {
        ByteBuffer copy = payload.duplicate();
        byte[] bytes = new byte[copy.remaining()];
        copy.get(bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }

    static WalConfig.Builder config(Path directory) {
        return WalConfig.builder(directory).syncMode(SyncMode.PER_COMMIT);
    }

    /** Every record from {@code fromLsn} as "lsn:text". */
    static List<String> readAll(WriteAheadLog wal, long fromLsn) {
        List<String> records = new ArrayList<>();
        try (WalReader reader = wal.reader(fromLsn)) {
            while (reader.next()) {
                records.add(reader.lsn() + ":" + text(reader.payload()));
            }
        }
        return records;
    }

    static List<String> expected(long fromLsn, long toLsn, String prefix) {
        List<String> records = new ArrayList<>();
        for (long lsn = fromLsn; lsn <= toLsn; lsn++) {
            records.add(lsn + ":" + prefix + lsn);
        }
        return records;
    }
}
