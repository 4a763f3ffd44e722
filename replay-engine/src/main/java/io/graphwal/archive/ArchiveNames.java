package io.graphwal.archive;

/**
 * The names of archived objects, relative to the target: what each kind of object is called and which
 * names a target must accept.
 */
final class ArchiveNames {

    /** The longest name a target must accept: well inside S3's 1,024-byte key limit with a long prefix. */
    static final int MAX_NAME_LENGTH = 256;

    private ArchiveNames() {
    }

    /**
     * Refuses a name that is not a valid object name.
     *
     * @throws IllegalArgumentException naming what is wrong
     */
    static void check(String name) {
        if (name.isEmpty() || name.length() > MAX_NAME_LENGTH) {
            throw new IllegalArgumentException("archived object name must be 1 to " + MAX_NAME_LENGTH
                    + " characters: '" + name + "'");
        }
        if (name.startsWith("/") || name.endsWith("/") || name.contains("//")) {
            throw new IllegalArgumentException("archived object name must be relative, without empty parts: '"
                    + name + "'");
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            boolean allowed = c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '.'
                    || c == '-' || c == '_' || c == '/';
            if (!allowed) {
                throw new IllegalArgumentException("archived object name may hold only ASCII letters, digits and "
                        + ".-_/: '" + name + "'");
            }
        }
        for (String part : name.split("/")) {
            if (part.equals(".") || part.equals("..") || part.startsWith(".")) {
                throw new IllegalArgumentException("archived object name parts may not start with '.': '" + name
                        + "'");
            }
        }
    }
}
