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
import java.util.concurrent.Executor;

/**
 * How to build a {@link Client}. Only the endpoint (one with {@code endpoint}, or several with
 * {@code endpoints}) and {@code identity} are required.
 */
public final class ClientOptions {
    private final List<URI> endpoints;
    private final Identity identity;
    private final Path dbPath;
    private final Duration heartbeatInterval;
    private final Duration requestTimeout;
    private final List<ContentCodec<?>> codecs;
    private final int cachedMessagesPerConversation;
    private final KeyStore trustStore;
    private final Executor callbackExecutor;

    private ClientOptions(Builder b) {
        if (b.endpoints == null) {
            throw new IllegalArgumentException("endpoint is required, e.g. grpc://127.0.0.1:5556");
        }
        this.endpoints = b.endpoints;
        this.identity = Objects.requireNonNull(b.identity, "identity is required (Identity.generate())");
        this.dbPath = b.dbPath;
        this.heartbeatInterval = b.heartbeatInterval;
        this.requestTimeout = b.requestTimeout;
        this.codecs = List.copyOf(b.codecs);
        this.cachedMessagesPerConversation = b.cachedMessagesPerConversation;
        this.trustStore = b.trusted == null ? null : Pem.trustStore(b.trusted);
        this.callbackExecutor = b.callbackExecutor;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The node to talk to (the first of {@link #endpoints()}); its scheme picks the transport. */
    public URI endpoint() {
        return endpoints.get(0);
    }

    /**
     * The nodes to talk to, in the order the client tries them: one element for a client of one
     * node ({@link Builder#endpoint}), several for nodes serving the same conversations
     * ({@link Builder#endpoints}). Never empty; each endpoint's scheme picks its transport.
     */
    public List<URI> endpoints() {
        return endpoints;
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

    /**
     * Where this client's stream callbacks (and the streams' own work) run, from
     * {@link Builder#callbackExecutor}; empty means the pool all clients of the JVM share.
     */
    public Optional<Executor> callbackExecutor() {
        return Optional.ofNullable(callbackExecutor);
    }

    public static final class Builder {
        /** Default of {@link #cachedMessagesPerConversation(int)}. */
        public static final int DEFAULT_CACHED_MESSAGES_PER_CONVERSATION = 10_000;

        private List<URI> endpoints; // null until endpoint or endpoints is called
        private Identity identity;
        private Path dbPath;
        private Duration heartbeatInterval = Duration.ofSeconds(15);
        private Duration requestTimeout = Duration.ofSeconds(30);
        private final List<ContentCodec<?>> codecs = new ArrayList<>();
        private int cachedMessagesPerConversation = DEFAULT_CACHED_MESSAGES_PER_CONVERSATION;
        private List<Certificate> trusted; // null: the JDK's default trust store
        private Executor callbackExecutor; // null: the JVM's shared stream pool

        /**
         * The one node to talk to, e.g. {@code grpc://127.0.0.1:5556}, {@code ws://host:5557},
         * {@code grpcs://host:443}, {@code wss://host:443}, {@code inproc://dev}. Replaces what an
         * earlier {@code endpoint} or {@link #endpoints} call set (the last call wins). The scheme must
         * be one a transport on the class path serves; {@link Client#create} checks it.
         *
         * @throws IllegalArgumentException the endpoint does not parse as a URI or has no scheme
         */
        public Builder endpoint(String endpoint) {
            this.endpoints = List.of(parse(endpoint));
            return this;
        }

        /** {@link #endpoint(String)} for a URI. */
        public Builder endpoint(URI endpoint) {
            this.endpoints = List.of(requireScheme(Objects.requireNonNull(endpoint, "endpoint")));
            return this;
        }

        /**
         * Several nodes serving the same conversations (a cluster on one database), e.g.
         * {@code List.of("grpc://a:5556", "ws://b:5557")}; schemes may differ. Replaces what an earlier
         * {@link #endpoint} or {@code endpoints} call set (the last call wins); one element is the same as
         * {@link #endpoint(String)}.
         * <p>{@link Client#create} connects to the first endpoint that answers, trying them in this
         * order. Afterwards, when the node in use cannot be reached (a connection-level, retryable
         * {@link TransportException}, not a refusal such as {@link PermissionDeniedException}, a
         * {@link ProtocolException} or a {@link LimitExceededException}), the client moves to the next
         * endpoint, round-robin: an operation (send, sync, conversation creation, group change) is tried
         * once on each endpoint, in order, before it fails; a stream re-subscribes from its cursors on the
         * next endpoint with its usual retry delays. A failed endpoint is tried again when its turn comes.
         * Endpoints of one cluster share one history (epoch); an endpoint serving another history is
         * followed like a node whose log was replaced ({@link NodeResetException},
         * {@link HistoryLost.Reason#NODE_RESET}).
         *
         * @throws IllegalArgumentException the list is empty, or an element is blank, does not parse as a
         *                                  URI, has no scheme, or appears twice
         */
        public Builder endpoints(List<String> endpoints) {
            Objects.requireNonNull(endpoints, "endpoints");
            if (endpoints.isEmpty()) {
                throw new IllegalArgumentException("endpoints must name at least one node, e.g. grpc://127.0.0.1:5556");
            }
            List<URI> parsed = new ArrayList<>(endpoints.size());
            for (String endpoint : endpoints) {
                URI uri = parse(endpoint);
                if (parsed.contains(uri)) {
                    throw new IllegalArgumentException("endpoint '" + endpoint + "' is listed twice in " + endpoints);
                }
                parsed.add(uri);
            }
            this.endpoints = List.copyOf(parsed);
            return this;
        }

        private static URI parse(String endpoint) {
            Objects.requireNonNull(endpoint, "endpoint");
            if (endpoint.isBlank()) {
                throw new IllegalArgumentException("endpoint is blank, e.g. grpc://127.0.0.1:5556");
            }
            try {
                return requireScheme(new URI(endpoint.strip()));
            } catch (URISyntaxException e) {
                throw new IllegalArgumentException("malformed endpoint '" + endpoint + "': " + e.getMessage(), e);
            }
        }

        private static URI requireScheme(URI endpoint) {
            if (endpoint.getScheme() == null) {
                throw new IllegalArgumentException("endpoint '" + endpoint + "' has no scheme, e.g. grpc://host:port");
            }
            return endpoint;
        }

        public Builder identity(Identity identity) {
            this.identity = Objects.requireNonNull(identity, "identity");
            return this;
        }

        /**
         * Keeps the client's state in this SQLite file (created if missing), so conversations,
         * messages, consent and durable stream progress survive a restart. The file belongs to one
         * inbox and one client at a time; otherwise {@link LocalStoreException} at creation. While the
         * client is open it holds the file locked (SQLite's exclusive locking mode): other programs,
         * such as the {@code sqlite3} shell, can read it once {@link Client#close()} returned.
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

        /**
         * Runs this client's stream callbacks ({@code onValue}, {@code onError}, ...) and the streams' own
         * work (catch-ups) on {@code executor} instead of the pool every client of the JVM shares.
         *
         * <p>By default all clients of a JVM share one bounded pool (one thread per core, at least two):
         * a callback that blocks holds one of its threads, and while every thread is held by blocked
         * callbacks the streams of <em>all</em> clients of the JVM wait. Callbacks that block (a
         * database write, a remote call, waiting on a lock) should therefore run on an executor of the
         * application's own, e.g. {@code Executors.newVirtualThreadPerTaskExecutor()} or a pool sized for
         * the blocking work. The guarantees stay as they are: one stream's callbacks never run
         * concurrently and run in event order, whatever the executor. The application owns the executor:
         * the client neither shuts it down nor waits for it beyond its own streams' work when closed.
         */
        public Builder callbackExecutor(Executor executor) {
            this.callbackExecutor = Objects.requireNonNull(executor, "executor");
            return this;
        }

        public ClientOptions build() {
            return new ClientOptions(this);
        }
    }
}
