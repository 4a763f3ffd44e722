package io.graphwal.sample;

/**
 * One operation of {@code POST /api/transactions} was refused, so the whole transaction was abandoned. The
 * cause decides the status; the message leads with the operation's index and name.
 */
class OperationFailedException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final int index;

    OperationFailedException(int index, String op, RuntimeException cause) {
        super("Operation " + index + " (" + op + "): " + cause.getMessage() + ". Nothing was applied.", cause);
        this.index = index;
    }

    int index() {
        return index;
    }
}
