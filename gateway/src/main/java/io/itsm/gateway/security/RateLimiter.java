package io.itsm.gateway.security;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;
import io.itsm.gateway.config.GatewayConfig;

/**
 * One Bucket4j token bucket per client, sized by {@code itsm.gateway.rate-limit}. Buckets live in a bounded
 * Caffeine cache; a client unseen long enough for its bucket to be full again is forgotten, which changes nothing.
 */
@ApplicationScoped
public class RateLimiter {

    /** The outcome of taking one request from a client's bucket. */
    public record Decision(boolean allowed, GatewayConfig.Limit limit, long remaining, long nanosToWait, long nanosToFull) {

        /** Whole seconds until a refused request may be retried (at least 1). */
        public long retryAfterSeconds() {
            return Math.max(1, ceilSeconds(nanosToWait));
        }

        /** Whole seconds until the bucket is full again. */
        public long resetSeconds() {
            return ceilSeconds(nanosToFull);
        }

        /** Seconds the policy's capacity spans at its refill rate (for {@code RateLimit-Policy}). */
        public long windowSeconds() {
            return Math.max(1, (long) Math.ceil((double) limit.capacity() / limit.refillPerSecond()));
        }

        private static long ceilSeconds(long nanos) {
            return (nanos + TimeUnit.SECONDS.toNanos(1) - 1) / TimeUnit.SECONDS.toNanos(1);
        }
    }

    @Inject
    GatewayConfig config;

    private Cache<String, Bucket> buckets;

    @PostConstruct
    void init() {
        check("the default", config.rateLimit().defaults());
        config.rateLimit().clients().forEach((client, limit) -> check("client " + client, limit));
        long longestRefill = config.rateLimit().clients().values().stream()
                .mapToLong(RateLimiter::secondsToFill)
                .reduce(secondsToFill(config.rateLimit().defaults()), Math::max);
        buckets = Caffeine.newBuilder()
                .maximumSize(config.rateLimit().maxClients())
                .expireAfterAccess(Duration.ofSeconds(longestRefill + 1))
                .build();
    }

    public boolean enabled() {
        return config.rateLimit().enabled();
    }

    /** Takes one request from {@code client}'s bucket. */
    public Decision take(String client) {
        GatewayConfig.Limit limit = limitOf(client);
        Bucket bucket = buckets.get(client, c -> newBucket(limit));
        ConsumptionProbe probe = bucket.tryConsumeAndReturnRemaining(1);
        return new Decision(probe.isConsumed(), limit, probe.getRemainingTokens(), probe.getNanosToWaitForRefill(),
                probe.getNanosToWaitForReset());
    }

    private GatewayConfig.Limit limitOf(String client) {
        GatewayConfig.Limit own = config.rateLimit().clients().get(client);
        return own != null ? own : config.rateLimit().defaults();
    }

    private static Bucket newBucket(GatewayConfig.Limit limit) {
        return Bucket.builder()
                .addLimit(l -> l.capacity(limit.capacity()).refillGreedy(limit.refillPerSecond(), Duration.ofSeconds(1)))
                .build();
    }

    private static void check(String whose, GatewayConfig.Limit limit) {
        if (limit.capacity() < 1 || limit.refillPerSecond() < 1) {
            throw new IllegalStateException("itsm.gateway.rate-limit: " + whose + " limit needs capacity >= 1 and"
                    + " refill-per-second >= 1, got " + limit.capacity() + " and " + limit.refillPerSecond());
        }
    }

    private static long secondsToFill(GatewayConfig.Limit limit) {
        return (long) Math.ceil((double) limit.capacity() / Math.max(1, limit.refillPerSecond()));
    }
}
