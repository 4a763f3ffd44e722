package io.graphwal.wal;

/** What recovery does with a torn tail: an incomplete last write that nothing valid follows. */
public enum TornTailPolicy {
    /** Cut the incomplete bytes off, report what was dropped and open. */
    TRUNCATE,
    /** Refuse to open, so an operator can look at the tail first. */
    FAIL
}
