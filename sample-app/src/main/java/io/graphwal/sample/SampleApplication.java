package io.graphwal.sample;

import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.context.ApplicationPidFileWriter;

/**
 * The sample web service. The graph, its log and the Actuator endpoints come from the starter and
 * {@code application.yml}; this package adds only the REST API.
 */
@SpringBootApplication
public class SampleApplication {

    /**
     * Starts the service; takes the usual Spring Boot command-line properties ({@code --server.port=...},
     * {@code --graphwal.directory=...}).
     *
     * @param args command-line arguments
     */
    public static void main(String[] args) {
        // The pid file (spring.pid.file) lets the README's crash demonstration name the process to kill -9.
        new SpringApplicationBuilder(SampleApplication.class)
                .listeners(new ApplicationPidFileWriter())
                .run(args);
    }
}
