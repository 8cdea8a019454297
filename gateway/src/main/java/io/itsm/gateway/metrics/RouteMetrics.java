package io.itsm.gateway.metrics;

import java.time.Duration;

import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.distribution.DistributionStatisticConfig;

/**
 * Latency histograms for the gateway's routes: {@code http_server_requests_seconds} (one series per route as
 * {@code uri}, with {@code method}, {@code status} and {@code outcome}) gets fixed buckets from 5 ms to 10 s, so
 * that Prometheus can compute percentiles across replicas ({@code histogram_quantile}). The routes are the
 * collapsed paths of {@code quarkus.micrometer.binder.http-server.match-patterns}.
 */
public class RouteMetrics {

    static final String HTTP_SERVER_REQUESTS = "http.server.requests";

    /** Bucket bounds: what a person notices, from a fast cache hit to a request timeout. */
    static final Duration[] BUCKETS = {
            Duration.ofMillis(5), Duration.ofMillis(10), Duration.ofMillis(25), Duration.ofMillis(50),
            Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofMillis(500), Duration.ofSeconds(1),
            Duration.ofMillis(2500), Duration.ofSeconds(5), Duration.ofSeconds(10) };

    @Produces
    @Singleton
    MeterFilter routeLatencyHistograms() {
        return new MeterFilter() {
            @Override
            public DistributionStatisticConfig configure(Meter.Id id, DistributionStatisticConfig config) {
                if (!id.getName().equals(HTTP_SERVER_REQUESTS)) {
                    return config;
                }
                double[] bounds = new double[BUCKETS.length];
                for (int i = 0; i < BUCKETS.length; i++) {
                    bounds[i] = BUCKETS[i].toNanos();
                }
                return DistributionStatisticConfig.builder().serviceLevelObjectives(bounds).build().merge(config);
            }
        };
    }
}
