package io.graphwal.graph;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/**
 * Property values: which Java types are accepted, their canonical form, and their binary encoding.
 *
 * <p>Accepted: {@link Boolean}; {@link Long} (and {@link Integer}, {@link Short}, {@link Byte}, widened);
 * {@link Double} (and {@link Float}, widened); {@link String}; {@code byte[]}; and homogeneous lists of
 * these, given as a {@link List} or a primitive or object array. Canonical forms are immutable: lists become
 * unmodifiable {@code List}s of the boxed element type, and {@code byte[]} values are copied on the way in and
 * out. {@code null} elements and mixed lists are refused.
 */
final class Values {

    static final int FALSE = 1;
    static final int TRUE = 2;
    static final int LONG = 3;
    static final int DOUBLE = 4;
    static final int STRING = 5;
    static final int BYTES = 6;
    static final int LIST_BOOLEAN = 7;
    static final int LIST_LONG = 8;
    static final int LIST_DOUBLE = 9;
    static final int LIST_STRING = 10;
    static final int LIST_BYTES = 11;

    private Values() {
    }

    /**
     * Returns the canonical form of {@code value}.
     *
     * @param what names the value in error messages, e.g. {@code "property 'age'"}
     * @throws GraphValidationException if the type is not supported
     */
    static Object canonical(Object value, String what) {
        if (value == null) {
            throw new GraphValidationException(what + " is null; remove the property instead of setting null");
        }
        Object scalar = canonicalScalar(value);
        if (scalar != null) {
            if (scalar instanceof String string) {
                wellFormed(string, what);
            }
            return scalar instanceof byte[] bytes ? bytes.clone() : scalar;
        }
        List<?> elements = asList(value);
        if (elements == null) {
            throw new GraphValidationException(what + " has unsupported type " + value.getClass().getName()
                    + "; use a boolean, long, double, String, byte[] or a list of one of these");
        }
        List<Object> canonical = new ArrayList<>(elements.size());
        Class<?> elementType = null;
        for (Object element : elements) {
            Object item = element == null ? null : canonicalScalar(element);
            if (item == null) {
                throw new GraphValidationException(what + " is a list with a " + (element == null ? "null"
                        : "nested or unsupported " + element.getClass().getName()) + " element; lists hold booleans, "
                        + "longs, doubles, Strings or byte[]s");
            }
            if (elementType != null && item.getClass() != elementType) {
                throw new GraphValidationException(what + " is a mixed list (" + elementType.getSimpleName() + " and "
                        + item.getClass().getSimpleName() + "); list elements must all have one type");
            }
            elementType = item.getClass();
            if (item instanceof String string) {
                wellFormed(string, what + " element " + canonical.size());
            }
            canonical.add(item instanceof byte[] bytes ? bytes.clone() : item);
        }
        return Collections.unmodifiableList(canonical);
    }

    /**
     * Refuses a string holding a lone UTF-16 surrogate. The log stores strings as UTF-8, which has no form for
     * one (the encoder writes '?' instead), so the graph rebuilt by replay would hold a different string than
     * readers saw, and distinct labels, types or keys could merge into one.
     *
     * @param what names the string in the error message
     * @return the string
     * @throws GraphValidationException if it is not well-formed UTF-16
     */
    static String wellFormed(String value, String what) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            boolean pair = Character.isHighSurrogate(c) && i + 1 < value.length()
                    && Character.isLowSurrogate(value.charAt(i + 1));
            if (pair) {
                i++;
            } else if (Character.isSurrogate(c)) {
                throw new GraphValidationException(what + " holds a lone UTF-16 surrogate (\\u"
                        + Integer.toHexString(c) + " at index " + i + "), which the log's UTF-8 cannot carry; "
                        + "strings must be well-formed Unicode");
            }
        }
        return value;
    }

    private static Object canonicalScalar(Object value) {
        if (value instanceof Boolean || value instanceof Long || value instanceof Double || value instanceof String
                || value instanceof byte[]) {
            return value;
        }
        if (value instanceof Integer || value instanceof Short || value instanceof Byte) {
            return ((Number) value).longValue();
        }
        if (value instanceof Float f) {
            return f.doubleValue();
        }
        return null;
    }

    private static List<?> asList(Object value) {
        if (value instanceof List<?> list) {
            return list;
        }
        if (value instanceof Object[] array) {
            return Arrays.asList(array);
        }
        if (value instanceof long[] array) {
            return Arrays.stream(array).boxed().toList();
        }
        if (value instanceof int[] array) {
            return Arrays.stream(array).boxed().toList();
        }
        if (value instanceof short[] array) {
            List<Short> list = new ArrayList<>(array.length);
            for (short s : array) {
                list.add(s);
            }
            return list;
        }
        if (value instanceof double[] array) {
            return Arrays.stream(array).boxed().toList();
        }
        if (value instanceof float[] array) {
            List<Float> list = new ArrayList<>(array.length);
            for (float f : array) {
                list.add(f);
            }
            return list;
        }
        if (value instanceof boolean[] array) {
            List<Boolean> list = new ArrayList<>(array.length);
            for (boolean b : array) {
                list.add(b);
            }
            return list;
        }
        return null;
    }

    /** Copies mutable parts (byte arrays) of a canonical value before handing it out. */
    static Object export(Object canonical) {
        if (canonical instanceof byte[] bytes) {
            return bytes.clone();
        }
        if (canonical instanceof List<?> list && !list.isEmpty() && list.get(0) instanceof byte[]) {
            return list.stream().map(b -> ((byte[]) b).clone()).toList();
        }
        return canonical;
    }

    /** Whether two canonical values are equal, comparing byte arrays by content. */
    static boolean equal(Object a, Object b) {
        if (a instanceof byte[] x && b instanceof byte[] y) {
            return Arrays.equals(x, y);
        }
        if (a instanceof List<?> x && b instanceof List<?> y) {
            if (x.size() != y.size()) {
                return false;
            }
            for (int i = 0; i < x.size(); i++) {
                if (!equal(x.get(i), y.get(i))) {
                    return false;
                }
            }
            return true;
        }
        return a.equals(b);
    }

    /** A key for hash-based lookups that compares byte arrays by content. */
    static Object indexKey(Object canonical) {
        if (canonical instanceof byte[] bytes) {
            return new BytesKey(bytes);
        }
        if (canonical instanceof List<?> list && !list.isEmpty() && list.get(0) instanceof byte[]) {
            return list.stream().map(b -> new BytesKey((byte[]) b)).toList();
        }
        return canonical;
    }

    private record BytesKey(byte[] bytes) {
        @Override
        public boolean equals(Object other) {
            return other instanceof BytesKey key && Arrays.equals(bytes, key.bytes);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(bytes);
        }
    }

    /**
     * An upper bound of the bytes {@link #write} takes for a canonical value, computed without encoding it, so
     * that a transaction can be held to the size limits before it is logged.
     */
    static long encodedSize(Object canonical) {
        if (canonical instanceof Boolean) {
            return 1;
        }
        if (canonical instanceof Long || canonical instanceof Double) {
            return 11;
        }
        if (canonical instanceof String string) {
            return 6 + utf8Length(string);
        }
        if (canonical instanceof byte[] bytes) {
            return 6L + bytes.length;
        }
        long size = 6;
        for (Object element : (List<?>) canonical) {
            size += encodedSize(element);
        }
        return size;
    }

    /** The length of a well-formed string in UTF-8, counted without encoding it. */
    static long utf8Length(String value) {
        long length = value.length();
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c >= 0x800) {
                // Three bytes, or four for a surrogate pair: two chars that each add one to their one counted.
                length += Character.isSurrogate(c) ? 1 : 2;
            } else if (c >= 0x80) {
                length++;
            }
        }
        return length;
    }

    static void write(ByteWriter out, Object canonical) {
        if (canonical instanceof Boolean b) {
            out.putByte(b ? TRUE : FALSE);
        } else if (canonical instanceof Long l) {
            out.putByte(LONG);
            out.putSignedVarLong(l);
        } else if (canonical instanceof Double d) {
            out.putByte(DOUBLE);
            out.putDouble(d);
        } else if (canonical instanceof String s) {
            out.putByte(STRING);
            out.putString(s);
        } else if (canonical instanceof byte[] bytes) {
            out.putByte(BYTES);
            out.putByteArray(bytes);
        } else if (canonical instanceof List<?> list) {
            writeList(out, list);
        } else {
            throw new IllegalArgumentException("not a canonical value: " + canonical);
        }
    }

    private static void writeList(ByteWriter out, List<?> list) {
        Object first = list.isEmpty() ? "" : list.get(0);
        int tag = first instanceof Boolean ? LIST_BOOLEAN : first instanceof Long ? LIST_LONG
                : first instanceof Double ? LIST_DOUBLE : first instanceof byte[] ? LIST_BYTES : LIST_STRING;
        out.putByte(tag);
        out.putVarInt(list.size());
        for (Object element : list) {
            switch (tag) {
                case LIST_BOOLEAN -> out.putByte((Boolean) element ? 1 : 0);
                case LIST_LONG -> out.putSignedVarLong((Long) element);
                case LIST_DOUBLE -> out.putDouble((Double) element);
                case LIST_BYTES -> out.putByteArray((byte[]) element);
                default -> out.putString((String) element);
            }
        }
    }

    static Object read(ByteReader in) {
        int tag = in.getByte();
        switch (tag) {
            case FALSE:
                return Boolean.FALSE;
            case TRUE:
                return Boolean.TRUE;
            case LONG:
                return in.getSignedVarLong();
            case DOUBLE:
                return in.getDouble();
            case STRING:
                return in.getString();
            case BYTES:
                return in.getByteArray();
            case LIST_BOOLEAN:
            case LIST_LONG:
            case LIST_DOUBLE:
            case LIST_STRING:
            case LIST_BYTES:
                // Every element takes at least one byte, which bounds the count before anything is allocated.
                int count = in.getCount(in.remaining(), "list length");
                List<Object> list = new ArrayList<>(count);
                for (int i = 0; i < count; i++) {
                    list.add(switch (tag) {
                        case LIST_BOOLEAN -> readBoolean(in);
                        case LIST_LONG -> in.getSignedVarLong();
                        case LIST_DOUBLE -> in.getDouble();
                        case LIST_BYTES -> in.getByteArray();
                        default -> in.getString();
                    });
                }
                return Collections.unmodifiableList(list);
            default:
                throw new MalformedDataException("unknown value tag " + tag + " at offset " + (in.position() - 1));
        }
    }

    /**
     * Moves past one encoded value, checking it as {@link #read} does but building nothing, for callers that
     * copy the encoded bytes as they are.
     */
    static void skip(ByteReader in) {
        int tag = in.getByte();
        switch (tag) {
            case FALSE, TRUE -> {
            }
            case LONG -> in.getVarLong();
            case DOUBLE -> in.skipChecked(8, "a long");
            case STRING -> in.skipLengthPrefixed("a string");
            case BYTES -> in.skipLengthPrefixed("a byte array");
            case LIST_BOOLEAN, LIST_LONG, LIST_DOUBLE, LIST_STRING, LIST_BYTES -> {
                int count = in.getCount(in.remaining(), "list length");
                for (int i = 0; i < count; i++) {
                    switch (tag) {
                        case LIST_BOOLEAN -> readBoolean(in);
                        case LIST_LONG -> in.getVarLong();
                        case LIST_DOUBLE -> in.skipChecked(8, "a long");
                        case LIST_BYTES -> in.skipLengthPrefixed("a byte array");
                        default -> in.skipLengthPrefixed("a string");
                    }
                }
            }
            default -> throw new MalformedDataException("unknown value tag " + tag + " at offset " + (in.position() - 1));
        }
    }

    private static Boolean readBoolean(ByteReader in) {
        int b = in.getByte();
        if (b > 1) {
            throw new MalformedDataException("boolean byte " + b + " at offset " + (in.position() - 1));
        }
        return b == 1;
    }

    /** A short name of the value's type for messages and tools. */
    static String typeName(Object canonical) {
        if (canonical instanceof List<?> list) {
            return "list<" + (list.isEmpty() ? "?" : typeName(list.get(0))) + ">";
        }
        return canonical instanceof byte[] ? "bytes" : canonical.getClass().getSimpleName().toLowerCase();
    }
}
