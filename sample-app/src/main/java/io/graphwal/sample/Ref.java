package io.graphwal.sample;

import com.fasterxml.jackson.annotation.JsonCreator;

/**
 * How an operation of {@code POST /api/transactions} names a node or relationship: by id (a JSON number), or
 * by the key that an earlier operation of the same request gave to what it created (a JSON string).
 *
 * @param id the id, or null
 * @param key the key, or null
 */
record Ref(Long id, String key) {

    @JsonCreator
    static Ref of(Object json) {
        if (json instanceof Integer || json instanceof Long) {
            return new Ref(((Number) json).longValue(), null);
        }
        if (json instanceof String key && !key.isEmpty()) {
            return new Ref(null, key);
        }
        throw new IllegalArgumentException("must be an id (a number) or the key of something created earlier in "
                + "this request (a non-empty string)");
    }
}
