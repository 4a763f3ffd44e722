package io.graphwal.wal;

/**
 * A configuration value the engine refuses, naming the setting (by its engine name, such as
 * {@code segmentSize}), the value and what is allowed, so that a layer with its own names for the settings
 * (the Spring Boot properties) can report it under those without knowing the rules itself. What is allowed may
 * refer to other settings by their engine names.
 */
public class InvalidSettingException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    private final String setting;
    private final transient Object value;
    private final String allowed;

    /**
     * Creates the exception.
     *
     * @param setting the engine's name of the setting
     * @param value the value refused
     * @param allowed what the setting may be, completing "it must be ..."
     */
    public InvalidSettingException(String setting, Object value, String allowed) {
        super(setting + " must be " + allowed + ", was " + value);
        this.setting = setting;
        this.value = value;
        this.allowed = allowed;
    }

    /**
     * Returns the engine's name of the setting.
     *
     * @return the name, such as {@code segmentSize}
     */
    public String setting() {
        return setting;
    }

    /**
     * Returns the value refused.
     *
     * @return the value
     */
    public Object value() {
        return value;
    }

    /**
     * Returns what the setting may be.
     *
     * @return the allowed values, in words
     */
    public String allowed() {
        return allowed;
    }
}
