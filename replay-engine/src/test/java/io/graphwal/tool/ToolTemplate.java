package io.graphwal.tool;

import java.nio.file.Path;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

import io.graphwal.tool.ToolFixture.Built;

/**
 * The base of the tool's command tests: one real data directory built once per test class (several segments,
 * two snapshots, a purged prefix), which each test reads as it is or damages a copy of.
 */
abstract class ToolTemplate {

    @TempDir
    static Path templates;

    static Path template;
    static Built built;

    @TempDir
    Path work;

    @BeforeAll
    static void buildTemplate() {
        template = templates.resolve("graph");
        built = ToolFixture.build(template);
    }

    /** A private copy of the template that a test may damage. */
    Path damageable() {
        return ToolFixture.copy(template, work.resolve("graph"));
    }
}
