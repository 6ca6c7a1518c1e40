package dev.parley.spi;

/**
 * What a node lets one connection subscribe to, as it advertised after authentication: topics per
 * subscription and subscriptions per connection (session). The client keeps every stream within
 * them, whatever other users do: a stream that follows more topics than one subscription may hold
 * is carried by several subscriptions.
 *
 * @param maxTopicsPerSubscription   topics one subscription may follow
 * @param maxSubscriptionsPerSession subscriptions one connection may hold open at a time
 */
public record SubscriptionLimits(int maxTopicsPerSubscription, int maxSubscriptionsPerSession) {
    /** Topics per subscription of a node that does not say (the node's default too). */
    public static final int DEFAULT_MAX_TOPICS_PER_SUBSCRIPTION = 20_000;
    /** Subscriptions per connection of a node that does not say (the node's default too). */
    public static final int DEFAULT_MAX_SUBSCRIPTIONS_PER_SESSION = 256;
    /** The limits of a node that advertises none (an older node). */
    public static final SubscriptionLimits DEFAULTS =
            new SubscriptionLimits(DEFAULT_MAX_TOPICS_PER_SUBSCRIPTION, DEFAULT_MAX_SUBSCRIPTIONS_PER_SESSION);

    /** @throws IllegalArgumentException when a limit is not positive */
    public SubscriptionLimits {
        if (maxTopicsPerSubscription <= 0 || maxSubscriptionsPerSession <= 0) {
            throw new IllegalArgumentException("subscription limits must be positive, were "
                    + maxTopicsPerSubscription + " topics per subscription and "
                    + maxSubscriptionsPerSession + " subscriptions per session");
        }
    }

    /**
     * The limits a node advertised on the wire, where a value that is not positive (not sent, as by
     * an older node) means the default.
     */
    public static SubscriptionLimits advertised(long maxTopicsPerSubscription, long maxSubscriptionsPerSession) {
        return new SubscriptionLimits(orDefault(maxTopicsPerSubscription, DEFAULT_MAX_TOPICS_PER_SUBSCRIPTION),
                orDefault(maxSubscriptionsPerSession, DEFAULT_MAX_SUBSCRIPTIONS_PER_SESSION));
    }

    /** Topics one connection can follow in all: {@code maxTopicsPerSubscription × maxSubscriptionsPerSession}. */
    public long maxTopicsPerSession() {
        return (long) maxTopicsPerSubscription * maxSubscriptionsPerSession;
    }

    private static int orDefault(long advertised, int fallback) {
        return advertised <= 0 ? fallback : (int) Math.min(advertised, Integer.MAX_VALUE);
    }
}
