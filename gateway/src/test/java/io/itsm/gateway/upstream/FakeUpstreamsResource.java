package io.itsm.gateway.upstream;

import java.util.HashMap;
import java.util.Map;

import io.itsm.testsupport.TestTokens;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * Starts the three fake upstream services before the gateway and points {@code itsm.gateway.upstreams.*}
 * at them; injects the {@link FakeUpstreams} into test fields of that type.
 */
public class FakeUpstreamsResource implements QuarkusTestResourceLifecycleManager {

    private FakeUpstreams upstreams;
    private boolean testKey = true;

    /** {@code token-key=none}: the test brings its own OIDC provider, so the test key is not configured. */
    @Override
    public void init(Map<String, String> initArgs) {
        testKey = !"none".equals(initArgs.get("token-key"));
    }

    @Override
    public Map<String, String> start() {
        upstreams = new FakeUpstreams();
        Map<String, String> config = new HashMap<>(Map.of(
                "itsm.gateway.upstreams.incident", upstreams.incident().url(),
                "itsm.gateway.upstreams.change", upstreams.change().url(),
                "itsm.gateway.upstreams.cmdb", upstreams.cmdb().url(),
                // Short, so the timeout test does not wait long.
                "itsm.gateway.request-timeout", "1s",
                "itsm.gateway.health-timeout", "1s",
                "itsm.gateway.overview-timeout", "1s",
                // Every /openapi request asks the services again (a stopped one is then served from memory).
                "itsm.gateway.docs-cache-ttl", "0s",
                // Tests stop upstreams on purpose: only ResilienceTest wants the breaker to open.
                "itsm.gateway.circuit-breaker.failures", "1000"));
        if (testKey) {
            // Tokens signed with the test key pair of test-support.
            config.put("quarkus.oidc.public-key", TestTokens.publicKey());
        }
        return config;
    }

    @Override
    public void inject(TestInjector testInjector) {
        testInjector.injectIntoFields(upstreams, new TestInjector.MatchesType(FakeUpstreams.class));
    }

    @Override
    public void stop() {
        if (upstreams != null) {
            upstreams.close();
        }
    }
}
