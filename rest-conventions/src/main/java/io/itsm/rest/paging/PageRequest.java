package io.itsm.rest.paging;

import jakarta.ws.rs.QueryParam;

import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;

import io.itsm.rest.QueryParams;

/**
 * The paging parameters every list takes, declared once: a resource method takes {@code @BeanParam PageRequest page}
 * beside its filters and answers {@link PageResponses#ok}.
 */
public class PageRequest {

    @QueryParam("cursor")
    @Parameter(description = "Where the page starts: the cursor of the previous page's Link rel=\"next\"")
    String cursor;

    @QueryParam("limit")
    @Parameter(description = "1 … 500, default 50")
    String limit;

    @QueryParam("count")
    @Parameter(description = "Add X-Total-Count")
    String count;

    /** The cursor as sent, or null. */
    public String cursor() {
        return QueryParams.text(cursor);
    }

    /** @throws io.itsm.rest.ProblemException 400 naming {@code limit} outside 1 … 500 */
    public int limit() {
        return QueryParams.limit(limit);
    }

    /** @throws io.itsm.rest.ProblemException 400 naming {@code count} when it is neither true nor false */
    public boolean count() {
        return Boolean.TRUE.equals(QueryParams.bool("count", count));
    }
}
