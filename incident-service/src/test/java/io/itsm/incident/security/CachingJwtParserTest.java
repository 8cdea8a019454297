package io.itsm.incident.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicInteger;

import org.eclipse.microprofile.jwt.JsonWebToken;
import org.jose4j.jwt.JwtClaims;
import org.junit.jupiter.api.Test;

import io.smallrye.jwt.auth.principal.DefaultJWTCallerPrincipal;
import io.smallrye.jwt.auth.principal.DefaultJWTParser;

/** The verification cache serves a token again only while it is valid, and stays bounded. */
class CachingJwtParserTest {

    /** Counts verifications; the token text says when it expires ("exp:<epoch seconds>"). */
    static final class CountingParser extends DefaultJWTParser {
        final AtomicInteger verifications = new AtomicInteger();

        @Override
        public JsonWebToken parse(String token) {
            verifications.incrementAndGet();
            JwtClaims claims = new JwtClaims();
            claims.setSubject(token);
            claims.setClaim("exp", Long.parseLong(token.substring(token.indexOf("exp:") + 4)));
            return new DefaultJWTCallerPrincipal(token, "JWT", claims);
        }
    }

    private final CountingParser delegate = new CountingParser();
    private final CachingJwtParser parser = new CachingJwtParser();

    {
        parser.delegate = delegate;
    }

    private static String validFor(long seconds, String id) {
        return id + "exp:" + (System.currentTimeMillis() / 1000 + seconds);
    }

    @Test
    void aTokenSeenBeforeIsNotVerifiedAgain() throws Exception {
        String token = validFor(300, "a");
        JsonWebToken first = parser.parse(token);
        JsonWebToken second = parser.parse(token);
        assertThat(second).isSameAs(first);
        assertThat(delegate.verifications).hasValue(1);
        parser.parse(validFor(300, "b"));
        assertThat(delegate.verifications).hasValue(2);
    }

    @Test
    void anExpiredTokenIsVerifiedAgain() throws Exception {
        String expired = validFor(-1, "old");
        parser.parse(expired);
        parser.parse(expired);
        assertThat(delegate.verifications).hasValue(2);
    }

    @Test
    void theCacheStaysBounded() throws Exception {
        String early = validFor(300, "t0");
        parser.parse(early);
        parser.parse(early);
        assertThat(delegate.verifications).hasValue(1);
        for (int i = 1; i <= CachingJwtParser.MAX_ENTRIES; i++) {
            parser.parse(validFor(300, "t" + i));
        }
        // the map was full when the last one came: everything was forgotten, so the first is verified again
        parser.parse(early);
        assertThat(delegate.verifications).hasValue(CachingJwtParser.MAX_ENTRIES + 2);
    }
}
