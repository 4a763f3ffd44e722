package io.graphwal.wal;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * A separate process for {@link DirectoryLockTest}: {@code open DIR} opens the log in DIR, closes it and exits;
 * {@code hold DIR} opens it, says so, and keeps it open until a line (or end of input) arrives on stdin. The
 * exit code tells the outcome; the first line printed starts with the outcome's name.
 */
final class LockProbe {

    static final int OPENED = 0;
    static final int LOCKED = 42;
    static final int FAILED = 43;
    static final int USAGE = 44;

    private LockProbe() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 2 || !(args[0].equals("open") || args[0].equals("hold"))) {
            System.out.println("USAGE: LockProbe open|hold DIRECTORY");
            System.exit(USAGE);
        }
        Path directory = Path.of(args[1]);
        int code;
        try (WriteAheadLog wal = WriteAheadLog.open(WalConfig.builder(directory).syncMode(SyncMode.PER_COMMIT)
                .build())) {
            if (args[0].equals("hold")) {
                System.out.println("HOLDING pid " + ProcessHandle.current().pid());
                System.out.flush();
                new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
            }
            System.out.println("OPENED");
            code = OPENED;
        } catch (WalLockedException e) {
            System.out.println("LOCKED " + e.getMessage());
            code = LOCKED;
        } catch (RuntimeException e) {
            System.out.println("FAILED " + e);
            code = FAILED;
        }
        System.out.flush();
        System.exit(code);
    }
}
