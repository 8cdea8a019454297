package io.itsm.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;

/** Every YAML file under deploy/ (manifests and test fixtures) is clean for yamllint with deploy/.yamllint. */
class YamllintTest {

    @Test
    void manifestsAreLintClean() {
        CommandLineTool.Result result = CommandLineTool.yamllint().run(Path.of(""), "-c", ".yamllint", "-f", "parsable",
                ".");

        assertThat(result.stdout() + result.stderr()).as("yamllint findings").isEmpty();
        assertThat(result.exitCode()).isZero();
    }
}
