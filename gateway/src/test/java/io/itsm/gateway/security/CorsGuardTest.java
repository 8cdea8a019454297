package io.itsm.gateway.security;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CorsGuardTest {

    @ParameterizedTest
    @ValueSource(strings = { "*", "/.*/", " * " })
    void refusesAnyOriginWithCredentials(String origin) {
        assertThatThrownBy(() -> CorsGuard.check(List.of("https://app.example.com", origin), true))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("QUARKUS_HTTP_CORS_ORIGINS");
    }

    @ParameterizedTest
    @ValueSource(booleans = { true, false })
    void acceptsListedOriginsWithOrWithoutCredentials(boolean credentials) {
        assertThatCode(() -> CorsGuard.check(List.of("https://app.example.com", "http://localhost:5173"), credentials))
                .doesNotThrowAnyException();
    }

    @ParameterizedTest
    @ValueSource(strings = { "*", "/.*/" })
    void acceptsAnyOriginWithoutCredentials(String origin) {
        assertThatCode(() -> CorsGuard.check(List.of(origin), false)).doesNotThrowAnyException();
    }
}
