package io.itsm.rest;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

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

    @Test
    void aCollectionAllowsItsOwnMethodsOnlyNotThoseOfItsItems() {
        assertThat(allowed.allowHeader("/api/things")).hasValue("GET, HEAD, OPTIONS, POST");
        assertThat(allowed.allowHeader("/api/things/")).hasValue("GET, HEAD, OPTIONS, POST");
    }

    @Test
    void anItemAllowsWhatItsTemplateTakes() {
        assertThat(allowed.allowHeader("/api/things/42")).hasValue("GET, HEAD, OPTIONS, PATCH");
    }

    @Test
    void aLiteralSegmentWinsOverAVariable() {
        assertThat(allowed.allowHeader("/api/things/templates")).hasValue("GET, HEAD, OPTIONS");
    }

    @Test
    void methodsComeFromEveryClassAtThatPathAndPostAloneHasNoHead() {
        assertThat(allowed.allowHeader("/api/things/42/notes")).hasValue("OPTIONS, POST");
        assertThat(allowed.allowHeader("/api/things//42/notes/7")).hasValue("DELETE, OPTIONS");
    }

    @Test
    void aMethodThePathDoesNotTakeIsNotAllowedButAnUnknownPathIsNoMatterOfMethods() {
        assertThat(allowed.notAllowed("/api/things/42/notes", "PUT")).isTrue();
        assertThat(allowed.notAllowed("/api/things/42", "DELETE")).isTrue();
        assertThat(allowed.notAllowed("/api/things/42", "PATCH")).isFalse();
        assertThat(allowed.notAllowed("/api/things/42", "HEAD")).isFalse();
        assertThat(allowed.notAllowed("/api/things/42/notes", "OPTIONS")).isFalse();
        assertThat(allowed.notAllowed("/api/other", "PUT")).isFalse();
    }

    @Test
    void aPathNoResourceHasIsLeftAlone() {
        assertThat(allowed.allowHeader("/api/things/42/parts")).isEmpty(); // a locator: its sub-resource decides
        assertThat(allowed.allowHeader("/api/other")).isEmpty();
        assertThat(allowed.allowHeader("/")).isEmpty();
        assertThat(allowed.allowHeader("/api/things/42/notes/7/x")).isEmpty();
    }
}
