package io.itsm.localstack;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Collection;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * The embedded default's token issuer: RS256 JWTs signed with the committed development key of
 * {@code local-dev-issuer/} (not a secret; see its README). The launcher gives the services the public key, so they
 * accept these tokens only when started by the local stack.
 */
public final class LocalIssuer {

    public static final String ISSUER = "urn:itsm:local-dev-issuer";
    public static final String AUDIENCE = "itsm";
    private static final String KEYS = "local-dev-issuer/";

    private LocalIssuer() {
    }

    /** The environment that makes a service trust this issuer: its public key file, issuer and audience. */
    public static Map<String, String> serviceEnvironment(Path dataDir) {
        Path publicKey = dataDir.resolve("local-dev-issuer").resolve("public-key.pem");
        try {
            Files.createDirectories(publicKey.getParent());
            Files.write(publicKey, resource("public-key.pem"));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + publicKey, e);
        }
        return Map.of("MP_JWT_VERIFY_PUBLICKEY_LOCATION", publicKey.toString(), "MP_JWT_VERIFY_ISSUER", ISSUER,
                "MP_JWT_VERIFY_AUDIENCES", AUDIENCE);
    }

    /**
     * The environment that makes the gateway (quarkus-oidc) trust this issuer: the public key inline (PEM), so that
     * no OIDC server is contacted, plus issuer and audience.
     */
    public static Map<String, String> gatewayEnvironment() {
        String pem = new String(resource("public-key.pem"), StandardCharsets.US_ASCII);
        return Map.of("QUARKUS_OIDC_PUBLIC_KEY", pem, "QUARKUS_OIDC_TOKEN_ISSUER", ISSUER,
                "QUARKUS_OIDC_TOKEN_AUDIENCE", AUDIENCE);
    }

    /** A signed token for {@code user} with {@code roles} (the {@code groups} claim), valid for {@code ttl}. */
    public static String token(String user, Collection<String> roles, Duration ttl) {
        return token(user, roles, ttl, AUDIENCE);
    }

    /** A signed token for another audience than the suite's (which the suite must refuse), e.g. for tests. */
    public static String token(String user, Collection<String> roles, Duration ttl, String audience) {
        Instant now = Instant.now();
        String header = "{\"alg\":\"RS256\",\"typ\":\"JWT\"}";
        String claims = "{\"iss\":\"" + ISSUER + "\",\"aud\":" + quote(audience) + ",\"sub\":" + quote(user) + ",\"upn\":" + quote(user)
                + ",\"groups\":[" + roles.stream().map(LocalIssuer::quote).collect(Collectors.joining(",")) + "]"
                + ",\"iat\":" + now.getEpochSecond() + ",\"exp\":" + now.plus(ttl).getEpochSecond()
                + ",\"jti\":\"" + UUID.randomUUID() + "\"}";
        String signed = base64(header.getBytes(StandardCharsets.UTF_8)) + "." + base64(claims.getBytes(StandardCharsets.UTF_8));
        try {
            Signature rs256 = Signature.getInstance("SHA256withRSA");
            rs256.initSign(privateKey());
            rs256.update(signed.getBytes(StandardCharsets.US_ASCII));
            return signed + "." + base64(rs256.sign());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot sign a development token", e);
        }
    }

    private static PrivateKey privateKey() throws GeneralSecurityException {
        String pem = new String(resource("private-key.pem"), StandardCharsets.US_ASCII)
                .replaceAll("-----(BEGIN|END) PRIVATE KEY-----", "").replaceAll("\\s", "");
        return KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(pem)));
    }

    private static byte[] resource(String name) {
        try (InputStream in = LocalIssuer.class.getClassLoader().getResourceAsStream(KEYS + name)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + KEYS + name);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String base64(byte[] bytes) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private static String quote(String text) {
        return "\"" + text.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
}
