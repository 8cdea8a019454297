package io.itsm.cmdb;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.not;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.security.TestSecurity;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;

/** The class hierarchy: standard classes, attribute schemas with inheritance, admin-defined classes and their checks. */
@QuarkusTest
@TestSecurity(user = "carl.cmdb", roles = {"itsm-cmdb-admin", "itsm-agent"})
class CiClassTest {

    private static ValidatableResponse createCi(String ciClass, Map<String, Object> attributes) {
        return CiResourceTest.create(Map.of("ciClass", ciClass, "name", "ci-" + UUID.randomUUID(), "attributes", attributes)).then();
    }

    private static ValidatableResponse createClass(Map<String, Object> body) {
        return given().contentType(ContentType.JSON).body(body).post("/api/cmdb/classes").then();
    }

    private static String unique(String prefix) {
        return prefix + "_" + UUID.randomUUID().toString().substring(0, 8);
    }

    @Test
    void theStandardClassesAreSeededAsAHierarchy() {
        given().get("/api/cmdb/classes").then().statusCode(200)
                .body("name", hasItems("configuration_item", "hardware", "server", "linux_server", "virtual_machine", "network_device",
                        "storage", "software", "application", "database", "service", "business_service", "technical_service", "cluster"))
                .body("[0].name", equalTo("configuration_item"));
        given().get("/api/cmdb/classes/linux_server").then().statusCode(200).header("ETag", "\"0\"")
                .body("definition.builtIn", equalTo(true))
                .body("lineage", equalTo(List.of("linux_server", "server", "hardware", "configuration_item")))
                .body("effectiveAttributeSchema.properties.keySet()", hasItems("kernel", "cpu", "serialNumber", "hostname", "maintenanceWindow"))
                .body("effectiveIdentifierRules.definedBy", equalTo("hardware"))
                .body("effectiveIdentifierRules.rules", equalTo(List.of(List.of("serialNumber"), List.of("hostname", "domain"), List.of("name", "ciClass"))))
                .body("effectiveRelationships.type", hasItems("DEPENDS_ON", "RUNS_ON", "MEMBER_OF"));
        given().get("/api/cmdb/classes/server").then().body("subclasses", equalTo(List.of("linux_server", "windows_server")));
        given().get("/api/cmdb/classes/no_such_class").then().statusCode(404).contentType(CiResourceTest.PROBLEM);
    }

    @Test
    void attributesAreCheckedAgainstTheClassAndItsAncestors() {
        createCi("linux_server", Map.of("cpu", 4, "kernel", "6.1", "serialNumber", "SN-1", "ipAddress", "10.1.2.3", "extra", true))
                .statusCode(201);
        createCi("linux_server", Map.of("cpu", "four", "kernel", 6, "ipAddress", "10.1.2.300", "hostname", "-bad-"))
                .statusCode(400).contentType(CiResourceTest.PROBLEM)
                .body("errors.field", equalTo(List.of("attributes.cpu", "attributes.hostname", "attributes.ipAddress", "attributes.kernel")));
        createCi("database", Map.of("engine", "dbase", "port", 70000)).statusCode(400)
                .body("errors.field", equalTo(List.of("attributes.engine", "attributes.port")));
        createCi("server", Map.of("maintenanceWindow", Map.of("days", List.of("SAT"), "start", "25:00"))).statusCode(400)
                .body("errors.field", hasItems("attributes.maintenanceWindow.end", "attributes.maintenanceWindow.start"));
        createCi("server", Map.of("maintenanceWindow", Map.of("days", List.of("SAT"), "start", "22:00", "end", "04:00"))).statusCode(201);
        createCi("no_such_class", Map.of()).statusCode(422).body("errors[0].field", equalTo("ciClass"));
    }

    @Test
    void anAdminAddsASubclassThatInheritsAndExtends() {
        String node = unique("k8s_node");
        createClass(Map.of("name", node, "parent", "linux_server", "label", "Kubernetes node",
                "attributeSchema", Map.of("type", "object", "properties", Map.of("nodePool", Map.of("type", "string")),
                        "required", List.of("nodePool"), "additionalProperties", false),
                "identifierRules", List.of(List.of("hostname", "domain")),
                "relationships", List.of(Map.of("type", "MEMBER_OF", "targetClasses", List.of("cluster")))))
                .statusCode(201).header("Location", containsString("/api/cmdb/classes/" + node)).header("ETag", "\"0\"")
                .body("builtIn", equalTo(false));
        createCi(node, Map.of()).statusCode(400).body("errors.field", equalTo(List.of("attributes.nodePool")));
        createCi(node, Map.of("nodePool", "blue", "cpu", "x")).statusCode(400).body("errors.field", equalTo(List.of("attributes.cpu")));
        createCi(node, Map.of("nodePool", "blue", "cpu", 16, "kernel", "6.1", "unknownAttribute", 1)).statusCode(400)
                .body("errors.field", equalTo(List.of("attributes")))
                .body("errors[0].message", containsString("unknownAttribute"));
        createCi(node, Map.of("nodePool", "blue", "cpu", 16, "kernel", "6.1")).statusCode(201);
        given().get("/api/cmdb/classes/linux_server").then().body("subclasses", hasItem(node));
        given().get("/api/cmdb/classes/" + node).then().body("effectiveIdentifierRules.definedBy", equalTo(node));

        // PATCH: a new label and a new optional attribute; stale and missing If-Match
        given().contentType("application/merge-patch+json").body(Map.of("label", "K8s node")).patch("/api/cmdb/classes/" + node)
                .then().statusCode(428);
        given().contentType("application/merge-patch+json").header("If-Match", "\"7\"").body(Map.of("label", "K8s node"))
                .patch("/api/cmdb/classes/" + node).then().statusCode(412);
        given().contentType("application/merge-patch+json").header("If-Match", "\"0\"")
                .body(Map.of("attributeSchema", Map.of("properties", Map.of("taints", Map.of("type", "array")))))
                .patch("/api/cmdb/classes/" + node).then().statusCode(200).header("ETag", "\"1\"")
                .body("attributeSchema.properties.keySet()", hasItems("nodePool", "taints"));
        createCi(node, Map.of("nodePool", "blue", "taints", "not-a-list")).statusCode(400).body("errors.field", equalTo(List.of("attributes.taints")));
        given().contentType("application/merge-patch+json").header("If-Match", "\"1\"").body(Map.of("name", "renamed"))
                .patch("/api/cmdb/classes/" + node).then().statusCode(400).body("errors[0].field", equalTo("name"));
        // a field an authority rule does not have, inside the merged document, is named as a create's would be
        given().contentType("application/merge-patch+json").header("If-Match", "\"1\"")
                .body(Map.of("authority", List.of(Map.of("source", "discovery", "priority", 1, "attributes", List.of("nodePool"), "prio", 2))))
                .patch("/api/cmdb/classes/" + node).then().statusCode(400)
                .body("errors.field", equalTo(List.of("authority[0].prio"))).body("errors[0].message", equalTo("is not a known field; the fields here are attributes, priority, source"));
        given().get("/api/cmdb/classes/" + node).then().header("ETag", "\"1\"");

        // in use: not deletable; standard classes never are
        given().header("If-Match", "\"1\"").delete("/api/cmdb/classes/" + node).then().statusCode(409).body("detail", containsString("CI"));
        given().header("If-Match", "\"0\"").delete("/api/cmdb/classes/server").then().statusCode(409).body("detail", containsString("standard"));
    }

    @Test
    void badClassDefinitionsAreRefusedFieldByField() {
        createClass(Map.of("name", unique("orphan"))).statusCode(400).body("errors.field", equalTo(List.of("parent")));
        createClass(Map.of("name", unique("x"), "parent", "no_such_parent")).statusCode(400).body("errors.field", equalTo(List.of("parent")));
        createClass(Map.of("name", "Bad Name", "parent", "server")).statusCode(400).body("errors.field", equalTo(List.of("name")));
        createClass(Map.of("name", "server", "parent", "hardware")).statusCode(409);
        // a property an ancestor defines; a reference (never fetched); not a schema; an unsupported keyword
        createClass(Map.of("name", unique("x"), "parent", "server", "attributeSchema",
                Map.of("properties", Map.of("cpu", Map.of("type", "string"))))).statusCode(400)
                .body("errors.field", equalTo(List.of("attributeSchema.properties.cpu")))
                .body("errors[0].message", containsString("server"));
        createClass(Map.of("name", unique("x"), "parent", "server", "attributeSchema",
                Map.of("properties", Map.of("owner2", Map.of("$ref", "http://example.org/schema.json"))))).statusCode(400)
                .body("errors.field", equalTo(List.of("attributeSchema.properties.owner2.$ref")));
        createClass(Map.of("name", unique("x"), "parent", "server", "attributeSchema",
                Map.of("properties", Map.of("size", Map.of("type", "huge"))))).statusCode(400)
                .body("errors.field", hasItem(containsString("attributeSchema.properties.size")));
        createClass(Map.of("name", unique("x"), "parent", "server", "attributeSchema", Map.of("type", "array", "if", Map.of())))
                .statusCode(400).body("errors.field", hasItems("attributeSchema.if", "attributeSchema.type"));
        // rules that name unknown fields, types, classes, bad sources and priorities
        createClass(Map.of("name", unique("x"), "parent", "server",
                "identifierRules", List.of(List.of("nosuchattribute"), List.of()),
                "relationships", List.of(Map.of("type", "USED_BY", "targetClasses", List.of("server")),
                        Map.of("type", "RUNS_ON", "targetClasses", List.of("nowhere"))),
                "authority", List.of(Map.of("source", "Discovery!", "priority", 1, "attributes", List.of("cpu")),
                        Map.of("source", "manual", "priority", 0, "attributes", List.of("nosuchattribute")))))
                .statusCode(400).body("errors.field", equalTo(List.of("identifierRules[0]", "identifierRules[1]", "relationships[0].type",
                        "relationships[1].targetClasses", "authority[0].source", "authority[1].priority", "authority[1].attributes")));
        // a cycle: server under linux_server
        given().contentType("application/merge-patch+json").header("If-Match", "\"0\"").body(Map.of("parent", "linux_server"))
                .patch("/api/cmdb/classes/server").then().statusCode(400).body("errors.field", equalTo(List.of("parent")));
        // a subclass may not take a property that a subclass of it already has
        String parent = unique("p");
        createClass(Map.of("name", parent, "parent", "software")).statusCode(201);
        createClass(Map.of("name", unique("c"), "parent", parent, "attributeSchema", Map.of("properties", Map.of("flavour", Map.of("type", "string")))))
                .statusCode(201);
        given().contentType("application/merge-patch+json").header("If-Match", "\"0\"")
                .body(Map.of("attributeSchema", Map.of("properties", Map.of("flavour", Map.of("type", "integer")))))
                .patch("/api/cmdb/classes/" + parent).then().statusCode(400).body("errors[0].message", containsString("subclass"));
    }

    @Test
    void aClassIsDeletedOnlyWhenNothingUsesIt() {
        String parent = unique("p");
        String child = unique("c");
        createClass(Map.of("name", parent, "parent", "service")).statusCode(201);
        createClass(Map.of("name", child, "parent", parent, "relationships",
                List.of(Map.of("type", "CONTAINS", "targetClasses", List.of(parent))))).statusCode(201);
        given().delete("/api/cmdb/classes/" + parent).then().statusCode(428);
        given().header("If-Match", "\"0\"").delete("/api/cmdb/classes/" + parent).then().statusCode(409).body("detail", containsString("subclasses"));
        given().header("If-Match", "\"0\"").delete("/api/cmdb/classes/" + child).then().statusCode(204);
        given().header("If-Match", "\"0\"").delete("/api/cmdb/classes/" + parent).then().statusCode(204);
        given().get("/api/cmdb/classes/" + parent).then().statusCode(404);
        given().get("/api/cmdb/classes").then().body("name", not(hasItem(parent)));
    }

    @Test
    @TestSecurity(user = "sam.agent", roles = "itsm-agent")
    void agentsMayNotShapeClasses() {
        createClass(Map.of("name", unique("x"), "parent", "server")).statusCode(403).contentType(CiResourceTest.PROBLEM);
    }
}
