package io.graphwal.archive;

/**
 * An archived object that cannot be used: damaged, truncated, foreign, or not what its name says. Restore
 * stops at it, naming the object, and changes nothing it has not written itself.
 */
public final class ArchiveCorruptException extends ArchiveException {

    private static final long serialVersionUID = 1L;

    private final String object;

    /**
     * Creates the exception.
     *
     * @param object the object's name in the archive
     * @param problem what is wrong with it
     */
    public ArchiveCorruptException(String object, String problem) {
        super("Archived object " + object + " is unusable: " + problem);
        this.object = object;
    }

    /**
     * Returns the name of the unusable object.
     *
     * @return the object's name
     */
    public String object() {
        return object;
    }
}
