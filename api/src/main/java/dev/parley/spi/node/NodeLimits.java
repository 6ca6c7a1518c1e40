package dev.parley.spi.node;

import dev.parley.internal.util.Durations;
import dev.parley.spi.SubscriptionLimits;

import java.time.Duration;

/**
 * What a node lets one client make it hold or do. Every limit has a default sized for a public node;
 * a request beyond one fails with a typed error for that request, session or subscription, never for
 * other users. Endpoints enforce the connection limits ({@link #preAuthenticationTimeout()},
 * {@link #maxOutboundBytesPerConnection()}); the node enforces the rest.
 * <pre>{@code
 * Node.builder().limits(NodeLimits.builder().maxSessionsPerInbox(8).build())
 * }</pre>
 */
public final class NodeLimits {
    /** The defaults listed on each getter. */
    public static final NodeLimits DEFAULTS = builder().build();

    private final Duration preAuthenticationTimeout;
    private final int maxSessionsPerInbox;
    private final int maxSubscriptionsPerSession;
    private final int maxTopicsPerSubscription;
    private final int maxMembersPerConversation;
    private final int conversationsPerInboxPerMinute;
    private final long maxStoredBytesPerInbox;
    private final long maxOutboundBytesPerConnection;

    private NodeLimits(Builder b) {
        this.preAuthenticationTimeout = b.preAuthenticationTimeout;
        this.maxSessionsPerInbox = b.maxSessionsPerInbox;
        this.maxSubscriptionsPerSession = b.maxSubscriptionsPerSession;
        this.maxTopicsPerSubscription = b.maxTopicsPerSubscription;
        this.maxMembersPerConversation = b.maxMembersPerConversation;
        this.conversationsPerInboxPerMinute = b.conversationsPerInboxPerMinute;
        this.maxStoredBytesPerInbox = b.maxStoredBytesPerInbox;
        this.maxOutboundBytesPerConnection = b.maxOutboundBytesPerConnection;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A builder starting from these limits. */
    public Builder toBuilder() {
        return new Builder()
                .preAuthenticationTimeout(preAuthenticationTimeout)
                .maxSessionsPerInbox(maxSessionsPerInbox)
                .maxSubscriptionsPerSession(maxSubscriptionsPerSession)
                .maxTopicsPerSubscription(maxTopicsPerSubscription)
                .maxMembersPerConversation(maxMembersPerConversation)
                .conversationsPerInboxPerMinute(conversationsPerInboxPerMinute)
                .maxStoredBytesPerInbox(maxStoredBytesPerInbox)
                .maxOutboundBytesPerConnection(maxOutboundBytesPerConnection);
    }

    /** How long a connection may take from accept to a successful authentication (default 10 s). */
    public Duration preAuthenticationTimeout() {
        return preAuthenticationTimeout;
    }

    /** Open sessions (connections) of one inbox at a time (default 32). */
    public int maxSessionsPerInbox() {
        return maxSessionsPerInbox;
    }

    /** Open subscriptions of one session at a time (default 256). */
    public int maxSubscriptionsPerSession() {
        return maxSubscriptionsPerSession;
    }

    /** Topics one subscription may follow (default 20,000); clients split larger sets over several subscriptions. */
    public int maxTopicsPerSubscription() {
        return maxTopicsPerSubscription;
    }

    /** What the node advertises to each authenticated client: topics per subscription, subscriptions per session. */
    public SubscriptionLimits subscriptionLimits() {
        return new SubscriptionLimits(maxTopicsPerSubscription, maxSubscriptionsPerSession);
    }

    /** Members of one conversation, its creator included (default 1,000). */
    public int maxMembersPerConversation() {
        return maxMembersPerConversation;
    }

    /**
     * Conversations one inbox may create, and group changes it may make ({@code Group.addMembers},
     * {@code removeMembers}, {@code leave}, {@code updateName}), per minute together (default 600, as a
     * bucket refilled continuously).
     */
    public int conversationsPerInboxPerMinute() {
        return conversationsPerInboxPerMinute;
    }

    /** Payload bytes one inbox may have stored on the node until retention frees them (default 1 GiB). */
    public long maxStoredBytesPerInbox() {
        return maxStoredBytesPerInbox;
    }

    /** Bytes the node queues for one connection that does not read them (default 16 MiB); beyond it the connection is closed. */
    public long maxOutboundBytesPerConnection() {
        return maxOutboundBytesPerConnection;
    }

    @Override
    public String toString() {
        return "NodeLimits{preAuthenticationTimeout=" + preAuthenticationTimeout
                + ", maxSessionsPerInbox=" + maxSessionsPerInbox
                + ", maxSubscriptionsPerSession=" + maxSubscriptionsPerSession
                + ", maxTopicsPerSubscription=" + maxTopicsPerSubscription
                + ", maxMembersPerConversation=" + maxMembersPerConversation
                + ", conversationsPerInboxPerMinute=" + conversationsPerInboxPerMinute
                + ", maxStoredBytesPerInbox=" + maxStoredBytesPerInbox
                + ", maxOutboundBytesPerConnection=" + maxOutboundBytesPerConnection + '}';
    }

    /** Configures {@link NodeLimits}; every value must be positive. */
    public static final class Builder {
        private Duration preAuthenticationTimeout = Duration.ofSeconds(10);
        private int maxSessionsPerInbox = 32;
        private int maxSubscriptionsPerSession = SubscriptionLimits.DEFAULT_MAX_SUBSCRIPTIONS_PER_SESSION;
        private int maxTopicsPerSubscription = SubscriptionLimits.DEFAULT_MAX_TOPICS_PER_SUBSCRIPTION;
        private int maxMembersPerConversation = 1_000;
        private int conversationsPerInboxPerMinute = 600;
        private long maxStoredBytesPerInbox = 1L << 30;
        private long maxOutboundBytesPerConnection = 16L << 20;

        private Builder() {
        }

        public Builder preAuthenticationTimeout(Duration timeout) {
            this.preAuthenticationTimeout = Durations.requirePositive(timeout, "preAuthenticationTimeout");
            return this;
        }

        public Builder maxSessionsPerInbox(int max) {
            this.maxSessionsPerInbox = positive(max, "maxSessionsPerInbox");
            return this;
        }

        public Builder maxSubscriptionsPerSession(int max) {
            this.maxSubscriptionsPerSession = positive(max, "maxSubscriptionsPerSession");
            return this;
        }

        public Builder maxTopicsPerSubscription(int max) {
            this.maxTopicsPerSubscription = positive(max, "maxTopicsPerSubscription");
            return this;
        }

        /** At least 2: a DM has two members. */
        public Builder maxMembersPerConversation(int max) {
            if (max < 2) {
                throw new IllegalArgumentException("maxMembersPerConversation must be at least 2 (a DM), was " + max);
            }
            this.maxMembersPerConversation = max;
            return this;
        }

        public Builder conversationsPerInboxPerMinute(int max) {
            this.conversationsPerInboxPerMinute = positive(max, "conversationsPerInboxPerMinute");
            return this;
        }

        public Builder maxStoredBytesPerInbox(long max) {
            this.maxStoredBytesPerInbox = positive(max, "maxStoredBytesPerInbox");
            return this;
        }

        /** At least twice the largest frame, so one frame in flight never trips it. */
        public Builder maxOutboundBytesPerConnection(long max) {
            long least = 2L * dev.parley.internal.util.WireLimits.MAX_FRAME_BYTES;
            if (max < least) {
                throw new IllegalArgumentException("maxOutboundBytesPerConnection must be at least " + least
                        + " (two frames), was " + max);
            }
            this.maxOutboundBytesPerConnection = max;
            return this;
        }

        public NodeLimits build() {
            return new NodeLimits(this);
        }

        private static int positive(int value, String name) {
            if (value <= 0) {
                throw new IllegalArgumentException(name + " must be positive, was " + value);
            }
            return value;
        }

        private static long positive(long value, String name) {
            if (value <= 0) {
                throw new IllegalArgumentException(name + " must be positive, was " + value);
            }
            return value;
        }
    }
}
