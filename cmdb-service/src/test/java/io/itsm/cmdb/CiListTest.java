package io.itsm.cmdb;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.nullValue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.security.TestSecurity;
import io.restassured.response.Response;

/** CI lists: every filter, subclasses, attribute equality, text, sort, cursor paging, count, and injection attempts that find nothing. */
@QuarkusTest
@TestSecurity(user = "sam.agent", roles = "itsm-agent")
class CiListTest {

    private String owner;

    private void ci(String ciClass, String name, String status, String environment, int criticality, Map<String, Object> attributes) {
        Map<String, Object> body = new HashMap<>(Map.of("ciClass", ciClass, "name", name, "status", status, "environment", environment,
                "criticality", criticality, "owner", owner, "supportGroup", "group-" + criticality, "attributes", attributes));
        given().contentType("application/json").body(body).post("/api/cmdb/cis").then().statusCode(201);
    }

    /** The list of this test's CIs with the query's parameters, each sent exactly as written (REST Assured encodes them). */
    private Response list(String query) {
        var request = given().queryParam("owner", owner);
        for (String pair : query.isEmpty() ? new String[0] : query.split("&")) {
            int eq = pair.indexOf('=');
            request.queryParam(pair.substring(0, eq), pair.substring(eq + 1));
        }
        return request.get("/api/cmdb/cis");
    }

    @BeforeEach
    void newOwner() {
        owner = "owner-" + UUID.randomUUID();
    }

    /** Five CIs of this test's owner, created in this order (a list is newest first by default). */
    private void seed() {
        {
            ci("linux_server", "alpha-web", "INSTALLED", "PRODUCTION", 1, Map.of("os", "linux", "cpu", 8, "virtualised", true));
            ci("windows_server", "bravo-ad", "INSTALLED", "PRODUCTION", 2, Map.of("os", "windows", "cpu", 4));
            ci("server", "charlie-db-host", "IN_MAINTENANCE", "STAGING", 2, Map.of("os", "linux", "cpu", 16, "ramGb", 64.5));
            ci("database", "delta-orders", "PLANNED", "TEST", 3, Map.of("engine", "postgresql", "port", 5432));
            ci("application", "echo-shop", "INSTALLED", "DEVELOPMENT", 4, Map.of("url", "https://shop.example.org", "os", "{\"$ne\":null}"));
        }
    }

    @Test
    void everyFilterNarrowsTheList() {
        seed();
        list("").then().statusCode(200).body("name", equalTo(List.of("echo-shop", "delta-orders", "charlie-db-host", "bravo-ad", "alpha-web")));
        list("ciClass=server").then().body("name", equalTo(List.of("charlie-db-host", "bravo-ad", "alpha-web")));
        // one class per query (its subclasses are included); a second was ignored, now it is refused
        list("ciClass=hardware&ciClass=software").then().statusCode(400).body("errors[0].field", equalTo("ciClass"))
                .body("errors[0].message", equalTo("may be given once"));
        list("ciClass=software").then().body("name", equalTo(List.of("echo-shop", "delta-orders")));
        list("ciClass=linux_server").then().body("name", equalTo(List.of("alpha-web")));
        list("status=PLANNED,IN_MAINTENANCE").then().body("name", equalTo(List.of("delta-orders", "charlie-db-host")));
        list("environment=PRODUCTION&criticality=2").then().body("name", equalTo(List.of("bravo-ad")));
        list("criticality=1&criticality=4").then().body("name", equalTo(List.of("echo-shop", "alpha-web")));
        list("supportGroup=group-3").then().body("name", equalTo(List.of("delta-orders")));
        list("attr.os=linux").then().body("name", equalTo(List.of("charlie-db-host", "alpha-web")));
        list("attr.cpu=8").then().body("name", equalTo(List.of("alpha-web")));
        list("attr.ramGb=64.5").then().body("name", equalTo(List.of("charlie-db-host")));
        list("attr.virtualised=true").then().body("name", equalTo(List.of("alpha-web")));
        list("attr.port=5432&attr.engine=postgresql").then().body("name", equalTo(List.of("delta-orders")));
        list("q=DB").then().body("name", equalTo(List.of("charlie-db-host")));
        list("q=CI").then().body("name", hasSize(5)); // numbers are CI…
        List<String> numbers = list("sort=name").then().extract().path("number");
        list("number=" + numbers.get(0)).then().statusCode(200).body("name", equalTo(List.of("alpha-web")));
        list("number=" + numbers.get(4) + "," + numbers.get(1).toLowerCase() + "&sort=name").then().body("name", equalTo(List.of("bravo-ad", "echo-shop")));
        list("number=" + numbers.get(0) + "&ciClass=software").then().body("name", equalTo(List.of()));
        list("number=CI12").then().statusCode(400).body("errors[0].field", equalTo("number"));
    }

    @Test
    void sortAndCursorPagingCoverEveryItemOnce() {
        seed();
        list("sort=criticality,name&limit=2").then().statusCode(200).header("Link", containsString("rel=\"next\""))
                .body("name", equalTo(List.of("alpha-web", "bravo-ad")));
        List<String> names = new ArrayList<>();
        String next = "/api/cmdb/cis?owner=" + owner + "&sort=-criticality,name&limit=2&count=true";
        while (next != null) {
            Response page = given().urlEncodingEnabled(false).get(next);
            page.then().statusCode(200).header("X-Total-Count", "5");
            names.addAll(page.jsonPath().getList("name"));
            String link = page.header("Link");
            next = link == null ? null : link.substring(1, link.indexOf('>'));
        }
        org.assertj.core.api.Assertions.assertThat(names).containsExactly("echo-shop", "delta-orders", "bravo-ad", "charlie-db-host", "alpha-web");
        list("sort=name&limit=5").then().header("Link", nullValue());
    }

    @Test
    void injectionAttemptsAreLiteralsOrRefused() {
        seed();
        // a JSON operator as a value is just text: it matches only the CI whose attribute holds exactly that text
        list("attr.os={\"$ne\":null}").then().statusCode(200).body("name", equalTo(List.of("echo-shop")));
        list("attr.os={\"$gt\":\"\"}").then().statusCode(200).body("name", hasSize(0));
        given().queryParam("owner", "{\"$ne\":\"x\"}").get("/api/cmdb/cis").then().statusCode(200).body("name", hasSize(0));
        // a parameter the list does not have (PHP-style operator syntax, a misspelt filter) is refused, not ignored
        given().queryParam("owner[$ne]", "x").queryParam("q", "alpha-web-" + owner).get("/api/cmdb/cis").then().statusCode(400)
                .contentType(CiResourceTest.PROBLEM).body("errors.field", equalTo(List.of("owner[$ne]")))
                .body("errors[0].message", org.hamcrest.Matchers.containsString("attr.*"));
        list("ciclass=server").then().statusCode(400).body("errors[0].field", equalTo("ciclass"));
        list("q=.*").then().body("", hasSize(0));
        list("q=^(a+)+$").then().body("", hasSize(0));
        list("q={\"$regex\":\".*\"}").then().body("", hasSize(0));
        // operator or path characters in an attribute name are refused, not passed on
        list("attr.$where=1").then().statusCode(400).contentType(CiResourceTest.PROBLEM).body("errors[0].field", equalTo("attr.$where"));
        list("attr.os.$ne=1").then().statusCode(400).body("errors[0].field", equalTo("attr.os.$ne"));
        list("attr.os=linux&attr.os=windows").then().statusCode(400);
        list("status=BROKEN").then().statusCode(400).body("errors[0].field", equalTo("status"));
        list("criticality=0").then().statusCode(400).body("errors[0].field", equalTo("criticality"));
        list("ciClass=nope").then().statusCode(400).body("errors[0].field", equalTo("ciClass"));
        list("sort=$where").then().statusCode(400).body("errors[0].field", equalTo("sort"));
        list("cursor=eyJ0IjoxfQ").then().statusCode(400).body("errors[0].field", equalTo("cursor"));
        list("limit=501").then().statusCode(400).body("errors[0].field", equalTo("limit"));
    }
}
