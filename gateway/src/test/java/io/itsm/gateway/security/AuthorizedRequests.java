package io.itsm.gateway.security;

import java.util.Set;

import io.itsm.testsupport.TestTokens;
import io.restassured.RestAssured;
import io.restassured.builder.RequestSpecBuilder;

/** Makes every REST Assured request of a test carry a valid agent token, for tests about something else than auth. */
public final class AuthorizedRequests {

    private AuthorizedRequests() {
    }

    /** The {@code Authorization} header value of a fresh, valid token with the agent role. */
    public static String agentBearer() {
        return "Bearer " + TestTokens.token("agent-ann", Set.of("itsm-agent"));
    }

    /** From now on, REST Assured requests carry an {@link #agentBearer()}; returns that header value. */
    public static String asAgent() {
        String bearer = agentBearer();
        RestAssured.requestSpecification = new RequestSpecBuilder().addHeader("Authorization", bearer).build();
        return bearer;
    }

    /** Back to requests without a token. */
    public static void anonymous() {
        RestAssured.requestSpecification = null;
    }
}
