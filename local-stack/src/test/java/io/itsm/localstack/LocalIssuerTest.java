package io.itsm.localstack;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** The development issuer's tokens verify with the public key the services are given, and carry the claims. */
class LocalIssuerTest {

    @TempDir
    Path dataDir;

    @Test
    void tokensVerifyWithThePublicKeyHandedToTheServices() throws Exception {
        Map<String, String> env = LocalIssuer.serviceEnvironment(dataDir);
        assertThat(env).containsEntry("MP_JWT_VERIFY_ISSUER", "urn:itsm:local-dev-issuer").containsEntry("MP_JWT_VERIFY_AUDIENCES", "itsm");
        String pem = Files.readString(Path.of(env.get("MP_JWT_VERIFY_PUBLICKEY_LOCATION")), StandardCharsets.US_ASCII);
        PublicKey key = KeyFactory.getInstance("RSA").generatePublic(new X509EncodedKeySpec(Base64.getDecoder().decode(
                pem.replaceAll("-----(BEGIN|END) PUBLIC KEY-----", "").replaceAll("\\s", ""))));

        String token = LocalIssuer.token("jane \"J\" doe", List.of("itsm-agent", "itsm-cab"), Duration.ofHours(2));
        String[] parts = token.split("\\.");
        assertThat(parts).hasSize(3);
        Signature rs256 = Signature.getInstance("SHA256withRSA");
        rs256.initVerify(key);
        rs256.update((parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII));
        assertThat(rs256.verify(Base64.getUrlDecoder().decode(parts[2]))).isTrue();

        JsonNode claims = new ObjectMapper().readTree(Base64.getUrlDecoder().decode(parts[1]));
        assertThat(claims.path("upn").asText()).isEqualTo("jane \"J\" doe");
        assertThat(claims.path("groups").toString()).isEqualTo("[\"itsm-agent\",\"itsm-cab\"]");
        assertThat(claims.path("exp").asLong() - claims.path("iat").asLong()).isEqualTo(7200);
        assertThat(claims.path("exp").asLong()).isGreaterThan(Instant.now().getEpochSecond());
    }
}
