package io.graphwal.archive;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.CRC32C;

/**
 * The text form of the archive's small manifests: one {@code key value} line each, the first line naming the
 * manifest's kind and version, the last a CRC32C of every byte before it ({@code crc 0123abcd}), so a person
 * can read them and a flipped byte is still caught.
 */
final class ManifestText {

    private static final int MAX_BYTES = 4096;

    private ManifestText() {
    }

    /**
     * Encodes a manifest.
     *
     * @param kind the first line's key, e.g. {@code graphwal-archive}
     * @param fields the other lines, in order; values are single-line text
     */
    static byte[] encode(String kind, int version, Map<String, String> fields) {
        StringBuilder text = new StringBuilder(kind).append(' ').append(version).append('\n');
        fields.forEach((key, value) -> text.append(key).append(' ').append(value).append('\n'));
        byte[] body = text.toString().getBytes(StandardCharsets.UTF_8);
        CRC32C crc = new CRC32C();
        crc.update(body);
        return (text + "crc " + String.format("%08x", crc.getValue()) + "\n").getBytes(StandardCharsets.UTF_8);
    }

    /**
     * Decodes and checks a manifest.
     *
     * @return the fields after the first line, in order
     * @throws ArchiveCorruptException if the text is damaged, of another kind or of an unknown version
     */
    static Map<String, String> decode(byte[] bytes, String kind, int version, String object) {
        if (bytes.length > MAX_BYTES) {
            throw new ArchiveCorruptException(object, "it is " + bytes.length + " bytes, more than a manifest's "
                    + MAX_BYTES);
        }
        String text = new String(bytes, StandardCharsets.UTF_8);
        int crcLine = text.lastIndexOf("crc ", text.length() - 2);
        if (!text.endsWith("\n") || crcLine < 0 || crcLine > 0 && text.charAt(crcLine - 1) != '\n') {
            throw new ArchiveCorruptException(object, "it does not end with a crc line");
        }
        CRC32C crc = new CRC32C();
        crc.update(text.substring(0, crcLine).getBytes(StandardCharsets.UTF_8));
        String stored = text.substring(crcLine + 4, text.length() - 1);
        if (!stored.equals(String.format("%08x", crc.getValue()))) {
            throw new ArchiveCorruptException(object, "its checksum does not match (damaged)");
        }
        String[] lines = text.substring(0, crcLine).split("\n");
        if (!lines[0].equals(kind + " " + version)) {
            throw new ArchiveCorruptException(object, "it starts with '" + lines[0] + "' instead of '" + kind + " "
                    + version + "'");
        }
        Map<String, String> fields = new LinkedHashMap<>();
        for (int i = 1; i < lines.length; i++) {
            int space = lines[i].indexOf(' ');
            if (space <= 0 || fields.put(lines[i].substring(0, space), lines[i].substring(space + 1)) != null) {
                throw new ArchiveCorruptException(object, "line " + (i + 1) + " is not a single 'key value' line");
            }
        }
        return fields;
    }

    /** A field that must be there, or the manifest is refused naming it. */
    static String required(Map<String, String> fields, String key, String object) {
        String value = fields.get(key);
        if (value == null) {
            throw new ArchiveCorruptException(object, "it has no '" + key + "' line");
        }
        return value;
    }

    /** A field that must be a non-negative number. */
    static long number(Map<String, String> fields, String key, String object) {
        String value = required(fields, key, object);
        try {
            long number = Long.parseLong(value);
            if (number >= 0) {
                return number;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new ArchiveCorruptException(object, "its '" + key + "' is not a number: '" + value + "'");
    }
}
