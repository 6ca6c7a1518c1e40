package dev.parley.spi;

import dev.parley.Authenticator;
import dev.parley.internal.util.Durations;
import dev.parley.internal.util.WireLimits;

import java.security.KeyStore;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/** What a transport is given when it connects. */
public final class TransportConfig {
    private final Authenticator authenticator;
    private final Duration heartbeatInterval;
    private final Duration requestTimeout;
    private final EpochCheck epochCheck;
    private final KeyStore trustStore;

    private TransportConfig(Builder b) {
        this.authenticator = Objects.requireNonNull(b.authenticator, "authenticator");
        this.heartbeatInterval = b.heartbeatInterval;
        this.requestTimeout = b.requestTimeout;
        this.epochCheck = b.epochCheck;
        this.trustStore = b.trustStore;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Signs the node's challenge on every (re)connection. */
    public Authenticator authenticator() {
        return authenticator;
    }

    /** How often each side proves it is alive; silence for two intervals means the connection is dead. */
    public Duration heartbeatInterval() {
        return heartbeatInterval;
    }

    /** Bound on a single request/response exchange. */
    public Duration requestTimeout() {
        return requestTimeout;
    }

    /** What every authenticated connection's node epoch must pass before the connection is used. */
    public EpochCheck epochCheck() {
        return epochCheck;
    }

    /**
     * What a TLS transport trusts the node's certificate by; empty means the JDK's default trust
     * store. TLS transports also check that the certificate names the endpoint's host.
     */
    public Optional<KeyStore> trustStore() {
        return Optional.ofNullable(trustStore);
    }

    public static final class Builder {
        private Authenticator authenticator;
        private Duration heartbeatInterval = Duration.ofSeconds(15);
        private Duration requestTimeout = Duration.ofSeconds(30);
        private EpochCheck epochCheck = EpochCheck.ANY;
        private KeyStore trustStore;

        public Builder authenticator(Authenticator authenticator) {
            this.authenticator = authenticator;
            return this;
        }

        public Builder heartbeatInterval(Duration interval) {
            this.heartbeatInterval = WireLimits.requireHeartbeat(interval, "heartbeatInterval");
            return this;
        }

        public Builder requestTimeout(Duration timeout) {
            this.requestTimeout = Durations.requirePositive(timeout, "requestTimeout");
            return this;
        }

        /** Checks the node's epoch on every connection (default: {@link EpochCheck#ANY}). */
        public Builder epochCheck(EpochCheck check) {
            this.epochCheck = Objects.requireNonNull(check, "epochCheck");
            return this;
        }

        /** The trust anchors of TLS connections ({@code null}, the default: the JDK's default trust store). */
        public Builder trustStore(KeyStore trustStore) {
            this.trustStore = trustStore;
            return this;
        }

        public TransportConfig build() {
            return new TransportConfig(this);
        }
    }
}
