package io.graphwal.archive;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import io.graphwal.io.FileHandle;
import io.graphwal.io.FileIO;

/**
 * Which archive timeline a data directory writes, in its file {@code archive.timeline}: either a timeline
 * it was given (its number and the random token its timeline manifest carries, so that two copies never
 * take the same one), or, right after a restore, the point it was restored from, waiting for the archiver
 * to open a new timeline forked there. A directory without the file has never archived.
 *
 * @param timeline the timeline written, or 0 while pending
 * @param token the timeline manifest's token, or null while pending
 * @param parent the timeline restored from (pending, or the fork recorded), 0 if none
 * @param parentLsn the LSN restored to, 0 if none
 */
record LocalTimeline(long timeline, String token, long parent, long parentLsn) {

    static final String FILE_NAME = "archive.timeline";
    private static final String KIND = "graphwal-local-timeline";

    boolean pending() {
        return timeline == 0;
    }

    static LocalTimeline read(FileIO io, Path directory) throws IOException {
        Path path = directory.resolve(FILE_NAME);
        byte[] bytes;
        try (FileHandle file = io.open(path, FileIO.OpenMode.READ)) {
            long size = file.size();
            if (size > 4096) {
                throw new IOException(path + " is " + size + " bytes, too large to be an archive timeline file");
            }
            ByteBuffer buffer = ByteBuffer.allocate((int) size);
            while (buffer.hasRemaining() && file.read(buffer, buffer.position()) > 0) {
                // until full
            }
            bytes = buffer.array();
        } catch (NoSuchFileException e) {
            return null;
        }
        try {
            Map<String, String> fields = ManifestText.decode(bytes, KIND, 1, path.toString());
            long timeline = ManifestText.number(fields, "timeline", path.toString());
            String token = fields.get("token");
            return new LocalTimeline(timeline, timeline == 0 ? null : ManifestText.required(fields, "token",
                    path.toString()), ManifestText.number(fields, "parent", path.toString()),
                    ManifestText.number(fields, "parent-lsn", path.toString()));
        } catch (ArchiveCorruptException e) {
            throw new IOException(e.getMessage() + "; delete it to archive this directory as a new timeline", e);
        }
    }

    void write(FileIO io, Path directory) throws IOException {
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("timeline", Long.toString(timeline));
        if (token != null) {
            fields.put("token", token);
        }
        fields.put("parent", Long.toString(parent));
        fields.put("parent-lsn", Long.toString(parentLsn));
        byte[] bytes = ManifestText.encode(KIND, 1, fields);
        Path temp = directory.resolve(FILE_NAME + ".tmp");
        if (io.list(directory).contains(temp)) {
            io.delete(temp);
        }
        try (FileHandle file = io.open(temp, FileIO.OpenMode.CREATE_NEW)) {
            file.write(ByteBuffer.wrap(bytes), 0);
            file.force();
        }
        io.move(temp, directory.resolve(FILE_NAME));
        io.syncDirectory(directory);
    }
}
