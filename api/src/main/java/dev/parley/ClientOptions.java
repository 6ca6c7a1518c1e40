package dev.parley;

import dev.parley.internal.util.Durations;
import dev.parley.internal.util.Pem;
import dev.parley.internal.util.WireLimits;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** How to build a {@link Client}. Only {@code endpoint} and {@code identity} are required. */
public final class ClientOptions {
    private final URI endpoint;
    private final Identity identity;
    private final Path dbPath;
    private final Duration heartbeatInterval;
    private final Duration requestTimeout;
    private final List<ContentCodec<?>> codecs;
    private final int cachedMessagesPerConversation;
    private final KeyStore trustStore;

    private ClientOptions(Builder b) {
        if (b.endpoint == null) {
            throw new IllegalArgumentException("endpoint is required, e.g. grpc://127.0.0.1:5556");
        }
        this.endpoint = b.endpoint;
        this.identity = Objects.requireNonNull(b.identity, "identity is required (Identity.generate())");
        this.dbPath = b.dbPath;
        this.heartbeatInterval = b.heartbeatInterval;
        this.requestTimeout = b.requestTimeout;
        this.codecs = List.copyOf(b.codecs);
        this.cachedMessagesPerConversation = b.cachedMessagesPerConversation;
        this.trustStore = b.trusted == null ? null : Pem.trustStore(b.trusted);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The node to talk to; its scheme picks the transport. */
    public URI endpoint() {
        return endpoint;
    }

    public Identity identity() {
        return identity;
    }

    /** Local SQLite store; empty means an in-memory store (bounded by {@link #cachedMessagesPerConversation()}). */
    public Optional<Path> dbPath() {
        return Optional.ofNullable(dbPath);
    }

    /** Heartbeat interval of the connection and streams (default 15 s). */
    public Duration heartbeatInterval() {
        return heartbeatInterval;
    }

    /** Bound on each request to the node (default 30 s). */
    public Duration requestTimeout() {
        return requestTimeout;
    }

    /** Extra content codecs, on top of the built-in text codec and those found by ServiceLoader. */
    public List<ContentCodec<?>> codecs() {
        return codecs;
    }

    /** Without {@code dbPath}: how many of each conversation's latest messages the client keeps in memory. */
    public int cachedMessagesPerConversation() {
        return cachedMessagesPerConversation;
    }

    /**
     * The certificates a {@code grpcs://} or {@code wss://} node must chain to (a CA or the node's
     * own, pinned, certificate), from {@link Builder#trustStore} and {@link Builder#trustCertificates};
     * empty means the JDK's default trust store. Either way the node's certificate must also name
     * the endpoint's host.
     */
    public Optional<KeyStore> trustStore() {
        return Optional.ofNullable(trustStore);
    }

    public static final class Builder {
        /** Default of {@link #cachedMessagesPerConversation(int)}. */
        public static final int DEFAULT_CACHED_MESSAGES_PER_CONVERSATION = 10_000;

        private URI endpoint;
        private Identity identity;
        private Path dbPath;
        private Duration heartbeatInterval = Duration.ofSeconds(15);
        private Duration requestTimeout = Duration.ofSeconds(30);
        private final List<ContentCodec<?>> codecs = new ArrayList<>();
        private int cachedMessagesPerConversation = DEFAULT_CACHED_MESSAGES_PER_CONVERSATION;
        private List<Certificate> trusted; // null: the JDK's default trust store

        /** e.g. {@code grpc://127.0.0.1:5556}, {@code ws://host:5557}, {@code grpcs://host:443}, {@code wss://host:443}, {@code inproc://dev}. */
        public Builder endpoint(String endpoint) {
            Objects.requireNonNull(endpoint, "endpoint");
            try {
                return endpoint(new URI(endpoint));
            } catch (URISyntaxException e) {
                throw new IllegalArgumentException("malformed endpoint '" + endpoint + "': " + e.getMessage(), e);
            }
        }

        public Builder endpoint(URI endpoint) {
            Objects.requireNonNull(endpoint, "endpoint");
            if (endpoint.getScheme() == null) {
                throw new IllegalArgumentException("endpoint '" + endpoint + "' has no scheme, e.g. grpc://host:port");
            }
            this.endpoint = endpoint;
            return this;
        }

        public Builder identity(Identity identity) {
            this.identity = Objects.requireNonNull(identity, "identity");
            return this;
        }

        /**
         * Keeps the client's state in this SQLite file (created if missing), so conversations,
         * messages, consent and durable stream progress survive a restart. The file belongs to one
         * inbox and one client at a time; otherwise {@link LocalStoreException} at creation.
         */
        public Builder dbPath(Path dbPath) {
            this.dbPath = dbPath;
            return this;
        }

        /**
         * Without {@code dbPath}: at most this many messages per conversation stay in memory
         * ({@code messages()} returns the latest ones; older ones are dropped from the cache, never
         * from the node). Default {@value #DEFAULT_CACHED_MESSAGES_PER_CONVERSATION}.
         *
         * @param messages more than 0
         */
        public Builder cachedMessagesPerConversation(int messages) {
            if (messages <= 0) {
                throw new IllegalArgumentException("cachedMessagesPerConversation must be > 0, was " + messages);
            }
            this.cachedMessagesPerConversation = messages;
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

        public Builder codec(ContentCodec<?> codec) {
            codecs.add(Objects.requireNonNull(codec, "codec"));
            return this;
        }

        /**
         * Over TLS, trusts the certificates of {@code store} (its trusted entries and the certificates
         * of its key entries) instead of the JDK's default trust store. May be combined with
         * {@link #trustCertificates}: a node is trusted when its certificate chains to any of them.
         *
         * @param store a loaded key store, e.g. {@code KeyStore.getInstance(file, password)}
         */
        public Builder trustStore(KeyStore store) {
            List<Certificate> certificates = Pem.certificatesOf(Objects.requireNonNull(store, "trustStore"));
            if (certificates.isEmpty()) {
                throw new IllegalArgumentException("the trust store holds no certificate: it would trust no node");
            }
            return trust(certificates);
        }

        /**
         * Over TLS, trusts the certificates of a PEM file (one or more {@code -----BEGIN CERTIFICATE-----}
         * blocks: CA certificates, or the node's own certificate to pin it) instead of the JDK's default
         * trust store.
         *
         * @throws IllegalArgumentException the file holds no certificate or one that does not parse
         * @throws UncheckedIOException     the file cannot be read
         */
        public Builder trustCertificates(Path pemFile) {
            Objects.requireNonNull(pemFile, "pemFile");
            try {
                return trust(Pem.certificates(Files.readAllBytes(pemFile), pemFile.toString()));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read trusted certificates from " + pemFile, e);
            }
        }

        /** Over TLS, trusts these certificates (CAs, or a node's own certificate) instead of the JDK's default trust store. */
        public Builder trustCertificates(X509Certificate... certificates) {
            if (certificates.length == 0) {
                throw new IllegalArgumentException("no certificate given: it would trust no node");
            }
            for (X509Certificate certificate : certificates) {
                Objects.requireNonNull(certificate, "certificate");
            }
            return trust(List.of(certificates));
        }

        private Builder trust(List<? extends Certificate> certificates) {
            if (trusted == null) {
                trusted = new ArrayList<>();
            }
            trusted.addAll(certificates);
            return this;
        }

        public ClientOptions build() {
            return new ClientOptions(this);
        }
    }
}
