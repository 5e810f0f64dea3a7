package dev.mcpgateway.internal.pipeline;

import dev.mcpgateway.RateLimits;

/**
 * One token bucket. Cheaply locked: a take is a few arithmetic operations under the bucket's own monitor, and
 * different clients' buckets never contend. Time is nanoseconds from the limiter's source, passed in so tests drive it.
 */
final class TokenBucket {
    private final RateLimits.Rate rate;
    private final double perNano;
    private double tokens;
    private long updatedNanos;

    TokenBucket(RateLimits.Rate rate, long nowNanos) {
        this.rate = rate;
        this.perNano = rate.perSecond() / 1e9;
        this.tokens = rate.burst(); // a new client starts with its burst
        this.updatedNanos = nowNanos;
    }

    RateLimits.Rate rate() {
        return rate;
    }

    /** Takes a token: 0 when taken, else how many nanoseconds until one is there (nothing is taken). */
    synchronized long take(long nowNanos) {
        refill(nowNanos);
        if (tokens >= 1) {
            tokens -= 1;
            return 0;
        }
        return Math.max(1, (long) Math.ceil((1 - tokens) / perNano));
    }

    /** Gives back a token taken for a call another bucket then refused, so a refused call costs nothing. */
    synchronized void giveBack() {
        tokens = Math.min(rate.burst(), tokens + 1);
    }

    /** Whether the bucket is full again by now: forgetting it changes nothing, a new one starts full. */
    synchronized boolean isFull(long nowNanos) {
        refill(nowNanos);
        return tokens >= rate.burst();
    }

    synchronized long updatedNanos() {
        return updatedNanos;
    }

    private void refill(long nowNanos) {
        long elapsed = nowNanos - updatedNanos;
        if (elapsed > 0) {
            tokens = Math.min(rate.burst(), tokens + elapsed * perNano);
            updatedNanos = nowNanos;
        }
    }
}
