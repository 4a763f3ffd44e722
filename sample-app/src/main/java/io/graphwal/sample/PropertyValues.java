package io.graphwal.sample;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Translates property values between JSON and the graph. JSON booleans, integers, decimals and strings map to
 * the graph's boolean, long, double and String; a JSON array to a list of one of these (integers mixed with
 * decimals become all decimals). The graph's {@code byte[]} travels as {@code {"$base64": "..."}}, the only
 * JSON object accepted as a value, so that it cannot be mistaken for a string.
 */
final class PropertyValues {

    /** The one key of the JSON object standing for a {@code byte[]} value. */
    static final String BASE64 = "$base64";

    private static final String ALLOWED = "must be a boolean, a number, a string, a list of one of these, "
            + "or {\"" + BASE64 + "\": \"...\"} for bytes";

    private PropertyValues() {
    }

    /**
     * Converts JSON properties to graph values; a null value stays null (the caller decides whether null means
     * "absent" or "remove").
     *
     * @param json the properties as parsed from JSON, or null
     * @param field the field's path, for errors
     * @return the properties, in the same order
     * @throws InvalidRequestException naming the first unusable value
     */
    static Map<String, Object> fromJson(Map<String, Object> json, String field) {
        Map<String, Object> values = new LinkedHashMap<>();
        if (json != null) {
            json.forEach((key, value) -> values.put(key, fromJson(value, field + "." + key)));
        }
        return values;
    }

    /**
     * Converts one JSON value to a graph value.
     *
     * @param json the value as parsed from JSON, or null
     * @param field the field's path, for errors
     * @return the graph value, or null
     * @throws InvalidRequestException if it has no graph form
     */
    static Object fromJson(Object json, String field) {
        if (json instanceof List<?> list) {
            return list(list, field);
        }
        return json == null ? null : scalar(json, field);
    }

    private static Object scalar(Object json, String field) {
        if (json instanceof Boolean || json instanceof String || json instanceof Long) {
            return json;
        }
        if (json instanceof Double || json instanceof Float || json instanceof BigDecimal) {
            double value = ((Number) json).doubleValue();
            if (!Double.isFinite(value)) {
                // JSON has no way to write an infinity back, so the value could be stored but never read.
                throw new InvalidRequestException(field, "is beyond the range of a 64-bit decimal");
            }
            return value;
        }
        if (json instanceof Integer || json instanceof Short || json instanceof Byte) {
            return ((Number) json).longValue();
        }
        if (json instanceof BigInteger) {
            throw new InvalidRequestException(field, "is " + json + ", beyond the 64-bit integer range");
        }
        if (json instanceof Map<?, ?> map && map.size() == 1 && map.containsKey(BASE64)) {
            if (map.get(BASE64) instanceof String text) {
                try {
                    return Base64.getDecoder().decode(text);
                } catch (IllegalArgumentException e) {
                    throw new InvalidRequestException(field + "." + BASE64, "is not valid base64: " + e.getMessage());
                }
            }
            throw new InvalidRequestException(field + "." + BASE64, "must be a base64 string");
        }
        throw new InvalidRequestException(field, ALLOWED + (json instanceof Map ? "; other objects are not supported"
                : ""));
    }

    private static List<Object> list(List<?> list, String field) {
        List<Object> values = new ArrayList<>(list.size());
        boolean decimals = false;
        boolean integers = false;
        Class<?> type = null;
        for (int i = 0; i < list.size(); i++) {
            Object element = list.get(i);
            String at = field + "[" + i + "]";
            if (element == null) {
                throw new InvalidRequestException(at, "is null; lists cannot hold nulls");
            }
            if (element instanceof List) {
                throw new InvalidRequestException(at, "is a list; lists cannot be nested");
            }
            Object value = scalar(element, at);
            integers |= value instanceof Long;
            decimals |= value instanceof Double;
            Class<?> kind = value instanceof Long ? Double.class : value.getClass();
            if (type != null && kind != type) {
                throw new InvalidRequestException(field, "mixes " + describe(type) + " and " + describe(kind)
                        + "; the elements of a list must all have one type");
            }
            type = kind;
            values.add(value);
        }
        if (integers && decimals) {
            values.replaceAll(value -> ((Number) value).doubleValue());
        }
        return values;
    }

    private static String describe(Class<?> kind) {
        if (kind == Double.class) {
            return "numbers";
        }
        if (kind == byte[].class) {
            return "bytes";
        }
        return kind == Boolean.class ? "booleans" : "strings";
    }

    /**
     * Converts graph properties to values Jackson writes as the JSON this class reads.
     *
     * @param properties graph properties
     * @return the JSON form
     */
    static Map<String, Object> toJson(Map<String, Object> properties) {
        Map<String, Object> json = new LinkedHashMap<>();
        properties.forEach((key, value) -> json.put(key, toJson(value)));
        return json;
    }

    private static Object toJson(Object value) {
        if (value instanceof byte[] bytes) {
            return Map.of(BASE64, Base64.getEncoder().encodeToString(bytes));
        }
        if (value instanceof List<?> list && !list.isEmpty() && list.get(0) instanceof byte[]) {
            return list.stream().map(PropertyValues::toJson).toList();
        }
        return value;
    }
}
