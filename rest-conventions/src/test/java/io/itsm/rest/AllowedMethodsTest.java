package io.itsm.rest;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Optional;

import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;

import org.junit.jupiter.api.Test;

class AllowedMethodsTest {

    @Path("/api/things")
    public static class Things {
        @GET
        public void list() {
        }

        @POST
        public void create() {
        }

        @GET
        @Path("/{id}")
        public void get() {
        }

        @PATCH
        @Path("{id}/")
        public void update() {
        }

        @GET
        @Path("/templates")
        public void templates() {
        }

        @Path("/{id}/parts")
        public Object subResourceLocator() {
            return null;
        }
    }

    @Path("/api/things/{id}/notes/")
    public static class ThingNotes {
        @POST
        public void add() {
        }

        @DELETE
        @Path("/{noteId}")
        public void remove() {
        }
    }

    public static class NotAResource {
        @GET
        public void get() {
        }
    }

    private final AllowedMethods allowed = AllowedMethods.of(List.of(Things.class, ThingNotes.class, NotAResource.class));

    /** The Allow header for this path, if a resource has it. */
    private Optional<String> header(String path) {
        return allowed.at(path).map(AllowedMethods.Allowed::header);
    }

    /** A resource has this path but not this method: what ProblemMapper turns a routing 404 into a 405 for. */
    private boolean notAllowed(String path, String method) {
        return allowed.at(path).map(a -> !a.allows(method)).orElse(false);
    }

    @Test
    void aCollectionAllowsItsOwnMethodsOnlyNotThoseOfItsItems() {
        assertThat(header("/api/things")).hasValue("GET, HEAD, OPTIONS, POST");
        assertThat(header("/api/things/")).hasValue("GET, HEAD, OPTIONS, POST");
    }

    @Test
    void anItemAllowsWhatItsTemplateTakes() {
        assertThat(header("/api/things/42")).hasValue("GET, HEAD, OPTIONS, PATCH");
    }

    @Test
    void aLiteralSegmentWinsOverAVariable() {
        assertThat(header("/api/things/templates")).hasValue("GET, HEAD, OPTIONS");
    }

    @Test
    void methodsComeFromEveryClassAtThatPathAndPostAloneHasNoHead() {
        assertThat(header("/api/things/42/notes")).hasValue("OPTIONS, POST");
        assertThat(header("/api/things//42/notes/7")).hasValue("DELETE, OPTIONS");
    }

    @Test
    void aMethodThePathDoesNotTakeIsNotAllowedButAnUnknownPathIsNoMatterOfMethods() {
        assertThat(notAllowed("/api/things/42/notes", "PUT")).isTrue();
        assertThat(notAllowed("/api/things/42", "DELETE")).isTrue();
        assertThat(notAllowed("/api/things/42", "PATCH")).isFalse();
        assertThat(notAllowed("/api/things/42", "HEAD")).isFalse();
        assertThat(notAllowed("/api/things/42/notes", "OPTIONS")).isFalse();
        assertThat(notAllowed("/api/other", "PUT")).isFalse();
    }

    @Test
    void aPathNoResourceHasIsLeftAlone() {
        assertThat(allowed.at("/api/things/42/parts")).isEmpty(); // a locator: its sub-resource decides
        assertThat(allowed.at("/api/other")).isEmpty();
        assertThat(allowed.at("/")).isEmpty();
        assertThat(allowed.at("/api/things/42/notes/7/x")).isEmpty();
    }
}
