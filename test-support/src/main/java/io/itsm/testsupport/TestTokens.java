package io.itsm.testsupport;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

import io.smallrye.jwt.build.Jwt;

/**
 * Bearer JWTs for tests, signed with the test-only key pair in {@code test-jwt/} (on the test classpath through
 * this module). A service accepts them in its {@code %test} profile with
 * {@code %test.mp.jwt.verify.publickey.location=test-jwt/public-key.pem}, issuer {@link #ISSUER} and audience {@link #AUDIENCE}.
 */
public final class TestTokens {

    public static final String ISSUER = "urn:itsm:local-dev-issuer";
    public static final String AUDIENCE = "itsm";
    private static final String KEY = "test-jwt/private-key.pem";

    private TestTokens() {
    }

    /**
     * The test public key (PEM) for quarkus-oidc's {@code quarkus.oidc.public-key}, for a gateway under test.
     */
    public static String publicKey() {
        try (InputStream in = TestTokens.class.getClassLoader().getResourceAsStream("test-jwt/public-key.pem")) {
            return new String(in.readAllBytes(), StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A valid token for {@code user} with {@code roles}, for five minutes. */
    public static String token(String user, Set<String> roles) {
        return token(user, roles, Duration.ofMinutes(5));
    }

    /** A valid token for {@code user} with {@code roles}, for {@code lifetime}. */
    public static String token(String user, Set<String> roles, Duration lifetime) {
        return Jwt.issuer(ISSUER).audience(AUDIENCE).upn(user).groups(roles).expiresIn(lifetime).sign(KEY);
    }

    /** Tokens every service must refuse with 401, by what is wrong with them (all carry every role they could want). */
    public static Map<String, String> invalid(Set<String> roles) {
        Map<String, String> invalid = new LinkedHashMap<>();
        invalid.put("expired", Jwt.issuer(ISSUER).audience(AUDIENCE).upn("x").groups(roles)
                .issuedAt(Instant.now().minusSeconds(7200)).expiresAt(Instant.now().minusSeconds(3600)).sign(KEY));
        invalid.put("wrong signature", Jwt.issuer(ISSUER).audience(AUDIENCE).upn("x").groups(roles).sign("test-jwt/other-private-key.pem"));
        invalid.put("wrong audience", Jwt.issuer(ISSUER).audience("someone-else").upn("x").groups(roles).sign(KEY));
        invalid.put("wrong issuer", Jwt.issuer("https://evil.example").audience(AUDIENCE).upn("x").groups(roles).sign(KEY));
        invalid.put("not a JWT", "hello");
        return invalid;
    }
}
