package io.graphwal.sample;

/**
 * A request is well-formed but a field or query parameter holds something the API cannot use; answered with
 * 400 and a detail naming it.
 */
class InvalidRequestException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private InvalidRequestException(String message) {
        super(message);
    }

    /**
     * @param field the field's path in the request body, e.g. {@code properties.age} or {@code operations[2].from}
     * @param problem what is wrong with it, completing "Field 'x' ...", e.g. "is required"
     */
    InvalidRequestException(String field, String problem) {
        this("Field '" + field + "' " + problem);
    }

    /**
     * A bad query parameter.
     *
     * @param name the parameter
     * @param problem what is wrong with it, completing "Query parameter 'x' ..."
     * @return the exception
     */
    static InvalidRequestException parameter(String name, String problem) {
        return new InvalidRequestException("Query parameter '" + name + "' " + problem);
    }
}
