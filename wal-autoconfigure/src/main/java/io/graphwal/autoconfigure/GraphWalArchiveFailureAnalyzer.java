package io.graphwal.autoconfigure;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

import io.graphwal.archive.ArchiveException;

/**
 * Explains an archive that the graph cannot use at startup: it holds another graph, or this directory is
 * empty while the archive holds a graph (starting there would fork it). An unreachable archive is not a
 * failure: the graph starts, and the archive health reports it.
 */
class GraphWalArchiveFailureAnalyzer extends AbstractFailureAnalyzer<ArchiveException> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, ArchiveException cause) {
        return new FailureAnalysis("GraphWAL cannot use its archive: " + cause.getMessage(),
                "Point graphwal.archive.directory or graphwal.archive.s3.bucket/prefix at this graph's own archive; "
                        + "to bring an archived graph back into an empty directory, set "
                        + "graphwal.archive.restore-if-empty=true or run 'wal restore'.", cause);
    }
}
