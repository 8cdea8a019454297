package io.itsm.rest.paging;

import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

/**
 * Writes a {@link Page} the way every list of the suite answers: the items as a JSON array, a
 * {@code Link: <…>; rel="next"} header that repeats the request with the next cursor, and
 * {@code X-Total-Count} when the total was asked for.
 */
public final class PageResponses {

    public static final String TOTAL_COUNT = "X-Total-Count";
    public static final int DEFAULT_LIMIT = 50;
    public static final int MAX_LIMIT = 500;
    /** How an operation's description says it is paged (OpenAPI). */
    public static final String PAGED = "Paged by an opaque cursor: follow the Link rel=\"next\" header. count=true adds X-Total-Count.";
    /** How the Link header of a page is described (OpenAPI). */
    public static final String NEXT_LINK = "<…>; rel=\"next\" when there is a next page";

    private PageResponses() {
    }

    public static Response ok(Page<?> page, UriInfo uri) {
        Response.ResponseBuilder response = Response.ok(page.items());
        if (page.nextCursor() != null) {
            // path-absolute, so it holds behind the gateway, which serves the same paths
            java.net.URI next = uri.getRequestUriBuilder().replaceQueryParam("cursor", page.nextCursor()).build();
            response.header("Link", "<" + next.getRawPath() + "?" + next.getRawQuery() + ">; rel=\"next\"");
        }
        if (page.total() != null) {
            response.header(TOTAL_COUNT, page.total());
        }
        return response.build();
    }
}
