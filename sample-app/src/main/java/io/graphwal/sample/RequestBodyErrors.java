package io.graphwal.sample;

import java.util.Collection;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import org.springframework.http.converter.HttpMessageNotReadableException;

import tools.jackson.core.JacksonException;
import tools.jackson.core.TokenStreamLocation;
import tools.jackson.core.exc.StreamReadException;
import tools.jackson.databind.exc.InvalidNullException;
import tools.jackson.databind.exc.InvalidTypeIdException;
import tools.jackson.databind.exc.MismatchedInputException;
import tools.jackson.databind.exc.UnrecognizedPropertyException;
import tools.jackson.databind.exc.ValueInstantiationException;

/**
 * Turns a request body Jackson could not read into a sentence naming the field and what it must be, e.g.
 * {@code Field 'labels[0]' must be a string}, instead of Jackson's message about Java types.
 */
final class RequestBodyErrors {

    private static final Pattern SOURCE = Pattern.compile("\\s*\\((start marker )?at \\[Source:.*?]\\)");

    private RequestBodyErrors() {
    }

    static String describe(HttpMessageNotReadableException e) {
        Throwable cause = e.getCause();
        if (cause instanceof StreamReadException malformed) {
            return "Malformed JSON" + at(malformed.getLocation()) + ": " + firstLine(malformed.getOriginalMessage());
        }
        if (!(cause instanceof JacksonException jackson)) {
            return "The request body is missing or unreadable; send a JSON object";
        }
        String field = path(jackson);
        if (jackson instanceof InvalidTypeIdException) {
            return "Field '" + join(field, "op") + "' must be one of " + Operation.NAMES;
        }
        if (jackson instanceof UnrecognizedPropertyException unknown) {
            return "Field '" + field + "' is not part of this request; the fields here are "
                    + unknown.getKnownPropertyIds().stream().map(String::valueOf).sorted()
                            .collect(Collectors.joining(", "));
        }
        if (field.isEmpty()) {
            return "The request body must be a JSON object";
        }
        if (jackson instanceof ValueInstantiationException && jackson.getCause() != null) {
            return "Field '" + field + "' " + jackson.getCause().getMessage();
        }
        if (jackson instanceof InvalidNullException) {
            return "Field '" + field + "' must not be null";
        }
        if (jackson instanceof MismatchedInputException mismatch && mismatch.getTargetType() != null) {
            return "Field '" + field + "' must be " + kind(mismatch.getTargetType());
        }
        return "Field '" + field + "' has the wrong type";
    }

    /** The path as a client writes it: {@code operations[2].labels[0]}. */
    private static String path(JacksonException e) {
        StringBuilder path = new StringBuilder();
        for (JacksonException.Reference reference : e.getPath()) {
            if (reference.getPropertyName() != null) {
                path.append(path.length() == 0 ? "" : ".").append(reference.getPropertyName());
            } else if (reference.getIndex() >= 0) {
                path.append('[').append(reference.getIndex()).append(']');
            }
        }
        return path.toString();
    }

    private static String join(String path, String field) {
        return path.isEmpty() ? field : path + "." + field;
    }

    private static String kind(Class<?> type) {
        if (type == String.class || type == Character.class || type == char.class) {
            return "a string";
        }
        if (type == Long.class || type == long.class || type == Integer.class || type == int.class) {
            return "an integer";
        }
        if (type == Boolean.class || type == boolean.class) {
            return "a boolean (true or false)";
        }
        if (type == Double.class || type == double.class) {
            return "a number";
        }
        if (Collection.class.isAssignableFrom(type) || type.isArray()) {
            return "a list";
        }
        if (type == Ref.class) {
            return "an id (a number) or a key (a string)";
        }
        return "an object";
    }

    private static String at(TokenStreamLocation location) {
        if (location == null || location.getLineNr() < 0) {
            return "";
        }
        return " at line " + location.getLineNr() + ", column " + location.getColumnNr();
    }

    /** Jackson's own words, without the parser's source description, which means nothing to a client. */
    private static String firstLine(String message) {
        int end = message == null ? -1 : message.indexOf('\n');
        String line = end < 0 ? String.valueOf(message) : message.substring(0, end);
        return SOURCE.matcher(line).replaceAll("");
    }
}
