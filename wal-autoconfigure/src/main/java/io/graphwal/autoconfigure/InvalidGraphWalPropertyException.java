package io.graphwal.autoconfigure;

/**
 * A {@code graphwal.*} property has a value GraphWAL cannot run with. Reported at startup by
 * {@link GraphWalFailureAnalyzer}, naming the key, the value and what is allowed.
 */
public class InvalidGraphWalPropertyException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final String key;
    private final String value;
    private final String allowed;

    /**
     * Creates the exception.
     *
     * @param key the full property name, e.g. {@code graphwal.snapshot.retain}
     * @param value the value it was given
     * @param allowed what it may be
     */
    public InvalidGraphWalPropertyException(String key, Object value, String allowed) {
        super("Invalid value '" + value + "' for " + key + ": it must be " + allowed);
        this.key = key;
        this.value = String.valueOf(value);
        this.allowed = allowed;
    }

    /**
     * Returns the property's name.
     *
     * @return the key
     */
    public String key() {
        return key;
    }

    /**
     * Returns the invalid value.
     *
     * @return the value as text
     */
    public String value() {
        return value;
    }

    /**
     * Returns what the property may be.
     *
     * @return the allowed values, in words
     */
    public String allowed() {
        return allowed;
    }
}
