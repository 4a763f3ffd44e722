package io.graphwal.sample;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.util.Collections;
import java.util.Set;
import java.util.TreeSet;

import org.junit.jupiter.api.Test;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.core.env.PropertySource;
import org.springframework.core.io.ClassPathResource;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The sample's {@code application.yml} sets every {@code graphwal.*} key that the starter declares, so that
 * it stays a complete example as keys are added.
 */
class ConfigurationTests {

    @Test
    void applicationYmlSetsEveryGraphwalKeyTheStarterDeclares() throws IOException {
        Set<String> declared = new TreeSet<>();
        JsonMapper json = JsonMapper.builder().build();
        for (URL url : Collections.list(getClass().getClassLoader()
                .getResources("META-INF/spring-configuration-metadata.json"))) {
            try (InputStream in = url.openStream()) {
                for (JsonNode property : json.readTree(in).path("properties")) {
                    String name = property.get("name").asString();
                    if (name.startsWith("graphwal.")) {
                        declared.add(name);
                    }
                }
            }
        }
        assertThat(declared).contains("graphwal.enabled", "graphwal.directory", "graphwal.wal.sync-mode",
                "graphwal.recovery.torn-tail", "graphwal.snapshot.retain");

        PropertySource<?> yml = new YamlPropertySourceLoader()
                .load("application.yml", new ClassPathResource("application.yml")).get(0);
        assertThat(declared).allSatisfy(key -> assertThat(yml.getProperty(key)).as(key).isNotNull());
    }
}
