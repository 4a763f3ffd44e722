package io.graphwal.sample;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * The sample's own settings, under {@code sample.*} in {@code application.yml}.
 *
 * @param maxRequestSize the largest request body accepted, checked before a byte of it is parsed; a larger
 *     one is answered 413 (key {@code sample.max-request-size})
 */
@ConfigurationProperties("sample")
record SampleProperties(@DefaultValue("4MB") DataSize maxRequestSize) {

    /** The key that sets {@link #maxRequestSize()}, as error messages name it. */
    static final String MAX_REQUEST_SIZE = "sample.max-request-size";

    SampleProperties {
        // Jackson reads at least one byte to tell an empty body from a present one; a limit below that would
        // refuse every request with a body, which is never what was meant.
        if (maxRequestSize == null || maxRequestSize.toBytes() < 1) {
            throw new IllegalArgumentException(MAX_REQUEST_SIZE + " is " + maxRequestSize
                    + " but must be at least 1B, e.g. 4MB");
        }
    }
}
