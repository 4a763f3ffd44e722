package io.graphwal.kafka;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** Explains why an empty read replica could not start from the topic alone, and what to do. */
class ReplicaBootstrapFailureAnalyzer extends AbstractFailureAnalyzer<ReplicaBootstrapException> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, ReplicaBootstrapException cause) {
        String message = cause.getMessage();
        String description = message.substring(0, message.length() - cause.action().length()).trim();
        return new FailureAnalysis("GraphWAL could not bootstrap the read replica: " + description, cause.action(),
                cause);
    }
}
