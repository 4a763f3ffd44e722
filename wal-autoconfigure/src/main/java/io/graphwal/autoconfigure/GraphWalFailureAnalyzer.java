package io.graphwal.autoconfigure;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Explains an invalid {@code graphwal.*} property at startup: which key, which value, and what is allowed.
 */
class GraphWalFailureAnalyzer extends AbstractFailureAnalyzer<InvalidGraphWalPropertyException> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, InvalidGraphWalPropertyException cause) {
        return new FailureAnalysis("GraphWAL cannot start: the property '" + cause.key() + "' has the invalid value '"
                + cause.value() + "'.", "Set '" + cause.key() + "' to " + cause.allowed()
                + " in your application's configuration, or remove it to use the default.", cause);
    }
}
