package io.graphwal.sample;

import java.util.Collection;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import org.springframework.http.HttpStatus;
import org.springframework.http.converter.HttpMessageNotReadableException;

import tools.jackson.core.JacksonException;
import tools.jackson.core.TokenStreamLocation;
import tools.jackson.core.exc.StreamConstraintsException;
import tools.jackson.core.exc.StreamReadException;
import tools.jackson.databind.exc.InvalidNullException;
import tools.jackson.databind.exc.InvalidTypeIdException;
import tools.jackson.databind.exc.MismatchedInputException;
import tools.jackson.databind.exc.UnrecognizedPropertyException;
import tools.jackson.databind.exc.ValueInstantiationException;

/**
 * Turns a request body Jackson could not read into a sentence naming the field and what it must be, e.g.
 * {@code Field 'labels[0]' must be a string}, instead of Jackson's message about Java types; and a body that
 * passes a limit (of {@code sample.max-request-size}, or of the parser's own: number length, name length,
 * nesting depth) into a sentence naming that limit, answered 413 where it bounds a size.
 */
final class RequestBodyErrors {

    private static final Pattern SOURCE = Pattern.compile("\\s*\\((start marker )?at \\[Source:.*?]\\)");
    // Jackson's wording, e.g. "Number value length (5000) exceeds the maximum allowed (1000, from
    // `StreamReadConstraints.getMaxNumberLength()`)"; the method name says which limit it is.
    private static final Pattern CONSTRAINT = Pattern.compile(
            "\\((\\d+)\\) exceeds the maximum allowed \\((\\d+), from `StreamReadConstraints\\.(\\w+)\\(\\)`\\)");
    private static final Pattern HINT = Pattern.compile(",? from `[^`]*`");

    private RequestBodyErrors() {
    }

    /**
     * The status for a body that could not be read: 413 when it passes a size limit, 400 otherwise.
     *
     * @param e what the converter threw
     * @return the status
     */
    static HttpStatus status(HttpMessageNotReadableException e) {
        if (tooLarge(e) != null) {
            return HttpStatus.CONTENT_TOO_LARGE;
        }
        if (e.getCause() instanceof StreamConstraintsException limit) {
            return constraint(limit).status();
        }
        return HttpStatus.BAD_REQUEST;
    }

    /**
     * The detail for a body that could not be read.
     *
     * @param e what the converter threw
     * @return a sentence naming the field or the limit, and what to send instead
     */
    static String describe(HttpMessageNotReadableException e) {
        RequestTooLargeException large = tooLarge(e);
        if (large != null) {
            return large.getMessage();
        }
        Throwable cause = e.getCause();
        // Not a malformed body: a limit of the parser, which Jackson reports as a JacksonException of its own.
        if (cause instanceof StreamConstraintsException limit) {
            String field = path(limit);
            return constraint(limit).detail() + (field.isEmpty() ? "" : " (under field '" + field + "')");
        }
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

    /** The request size limit's failure, wherever the parser wrapped it (Jackson wraps failed reads). */
    private static RequestTooLargeException tooLarge(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof RequestTooLargeException large) {
                return large;
            }
        }
        return null;
    }

    /** A parser limit as a client can act on it: which limit, how far the request went, what is accepted. */
    private static Limit constraint(StreamConstraintsException e) {
        String message = String.valueOf(e.getOriginalMessage());
        Matcher m = CONSTRAINT.matcher(message);
        if (!m.find()) {
            return new Limit(HttpStatus.BAD_REQUEST, "The request passes a limit of the JSON parser: "
                    + HINT.matcher(firstLine(message)).replaceAll(""));
        }
        long actual = Long.parseLong(m.group(1));
        long max = Long.parseLong(m.group(2));
        switch (m.group(3)) {
            case "getMaxNumberLength":
                return new Limit(HttpStatus.BAD_REQUEST, "A number in the request has " + actual
                        + " digits; at most " + max + " are accepted");
            case "getMaxNestingDepth":
                // Jackson stops at the first level past the limit, so the actual depth is unknown.
                return new Limit(HttpStatus.BAD_REQUEST, "The request nests arrays and objects more than " + max
                        + " levels deep; at most " + max + " are accepted");
            case "getMaxNameLength":
                // Checked as the parser's buffer grows, so the length reported is only how far it had read.
                return new Limit(HttpStatus.CONTENT_TOO_LARGE, "A field name (a property key, say) in the request is "
                        + "longer than " + max + " characters; at most " + max + " are accepted");
            case "getMaxStringLength":
                return new Limit(HttpStatus.CONTENT_TOO_LARGE, "A string in the request is longer than " + max
                        + " characters; at most " + max + " are accepted");
            default:
                return new Limit(HttpStatus.CONTENT_TOO_LARGE, "The request passes a limit of the JSON parser: "
                        + HINT.matcher(firstLine(message)).replaceAll(""));
        }
    }

    private record Limit(HttpStatus status, String detail) {
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
