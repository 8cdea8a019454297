package io.itsm.cmdb.classes;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

/** The seeded classes pass the same checks as an admin's, and form one tree under the root. */
class StandardClassesTest {

    private final ObjectMapper json = new ObjectMapper();

    private List<CiClass> standard() throws Exception {
        try (InputStream in = getClass().getClassLoader().getResourceAsStream("cmdb/standard-classes.json")) {
            return json.readValue(in, new TypeReference<List<CiClassInput>>() {
            }).stream().map(i -> i.toClass(true, 0, Instant.EPOCH, Instant.EPOCH)).toList();
        }
    }

    @Test
    void everyStandardClassPassesTheAdminChecks() throws Exception {
        List<CiClass> all = standard();
        for (CiClass c : all) {
            assertThat(ClassDefinitions.check(c, all.stream().filter(o -> o != c).toList(), json)).as(c.name()).isEmpty();
        }
    }

    @Test
    void theyFormOneTreeUnderTheRoot() throws Exception {
        ClassHierarchy hierarchy = new ClassHierarchy(standard(), json);
        assertThat(hierarchy.all()).hasSize(standard().size());
        assertThat(hierarchy.selfAndDescendants("configuration_item")).hasSize(standard().size());
        assertThat(hierarchy.selfAndDescendants("hardware")).containsExactlyInAnyOrder("hardware", "server", "linux_server",
                "windows_server", "virtual_machine", "network_device", "storage");
        assertThat(hierarchy.isA("linux_server", "hardware")).isTrue();
        assertThat(hierarchy.isA("database", "hardware")).isFalse();
    }
}
