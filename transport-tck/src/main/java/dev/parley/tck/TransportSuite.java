package dev.parley.tck;

import dev.parley.Authenticator;
import dev.parley.ClientOptions;
import dev.parley.Identity;
import dev.parley.core.transport.TransportRegistry;
import dev.parley.node.Node;
import dev.parley.spi.EpochCheck;
import dev.parley.spi.Transport;
import dev.parley.spi.TransportConfig;
import dev.parley.spi.node.NodeLimits;
import dev.parley.testing.TestCertificates;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.KeyStore;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;

/**
 * What the TCK suites share: the transport under test is named by its scheme, and every test gets
 * a fresh {@link #node} listening on {@link #listenAddress()}. The rules the suites check are in
 * {@code RULES.md} of this module; each test is named after its rule. A TLS transport says so with
 * {@link #tls()}: the node then serves a certificate of {@link #TEST_CA} for {@code 127.0.0.1} and
 * {@code localhost}, and the suite's clients trust that authority ({@link #trustStore()}).
 */
public abstract class TransportSuite {
    /** The certificate authority of TLS suites, made at test time. */
    protected static final TestCertificates.Authority TEST_CA = TestCertificates.authority("Parley TCK CA");
    /** The node's certificate in TLS suites. */
    protected static final TestCertificates.Issued NODE_CERTIFICATE = TEST_CA.issue("127.0.0.1", "localhost");
    private static final AtomicInteger NODES = new AtomicInteger();
    /** How long one operation of a transport may take in the suites. */
    protected static final Duration OPERATION_WAIT = Duration.ofSeconds(20);

    protected Node node;

    /** The URI scheme of the transport under test. */
    protected abstract String scheme();

    /** What the node listens on for this transport; {@code null} when it needs no endpoint (inproc). */
    protected String listenAddress() {
        return "inproc".equals(scheme()) ? null : scheme() + "://127.0.0.1:0";
    }

    /** True when {@link #scheme()} runs over TLS ({@code grpcs}, {@code wss}); the TLS rules apply then. */
    protected boolean tls() {
        return false;
    }

    /** What the suite's clients trust: {@link #TEST_CA} over TLS, else nothing (the JDK default). */
    protected Optional<KeyStore> trustStore() {
        return tls() ? Optional.of(TEST_CA.trustStore()) : Optional.empty();
    }

    /** Options of a full client of {@code who} to {@code endpoint}, trusting {@link #trustStore()}. */
    protected ClientOptions.Builder clientOptions(URI endpoint, Identity who) {
        ClientOptions.Builder options = ClientOptions.builder().endpoint(endpoint).identity(who);
        trustStore().ifPresent(options::trustStore);
        return options;
    }

    /**
     * A transport of {@link #scheme()} to {@code endpoint} as {@code who}, trusting {@code trust} over
     * TLS; the caller closes it.
     */
    protected Transport openTransport(URI endpoint, Authenticator who, EpochCheck epochCheck, Duration heartbeat,
                                      Optional<KeyStore> trust) {
        return openTransport(endpoint, who, epochCheck, heartbeat, Duration.ofSeconds(10), trust);
    }

    /** {@link #openTransport(URI, Authenticator, EpochCheck, Duration, Optional)} with its request timeout. */
    protected Transport openTransport(URI endpoint, Authenticator who, EpochCheck epochCheck, Duration heartbeat,
                                      Duration requestTimeout, Optional<KeyStore> trust) {
        return TransportRegistry.forScheme(scheme()).connect(endpoint, TransportConfig.builder()
                .authenticator(who).heartbeatInterval(heartbeat).requestTimeout(requestTimeout)
                .epochCheck(epochCheck).trustStore(trust.orElse(null)).build());
    }

    /** The future's value, waiting at most {@link #OPERATION_WAIT}. */
    protected static <T> T join(CompletableFuture<T> future) {
        return future.orTimeout(OPERATION_WAIT.toSeconds(), TimeUnit.SECONDS).join();
    }

    /** What the future failed with (it must fail within {@link #OPERATION_WAIT}). */
    protected static Throwable failureOf(CompletableFuture<?> future) {
        try {
            join(future);
        } catch (CompletionException e) {
            return e.getCause();
        }
        throw new AssertionError("expected the operation to fail");
    }

    protected static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @BeforeEach
    void startNode() {
        node = startNode("tck-" + scheme() + "-" + NODES.incrementAndGet(), listenAddress(), NODE_CERTIFICATE,
                UnaryOperator.identity());
    }

    /**
     * Closes the node and starts one with an empty log (a new epoch) at the same address: a node
     * whose data was wiped, as its clients see it.
     */
    protected void replaceNodeWithAnEmptyOne() {
        replaceNodeWithAnEmptyOne(NODE_CERTIFICATE);
    }

    /** {@link #replaceNodeWithAnEmptyOne()} serving {@code certificate} (over TLS). */
    protected void replaceNodeWithAnEmptyOne(TestCertificates.Issued certificate) {
        String address = listenAddress() == null ? null : node.endpoint(scheme()).toString();
        node.close();
        NodeLimits limits = node.limits();
        node = startNode(node.name(), address, certificate, builder -> builder.limits(limits));
    }

    /**
     * Closes the node and starts another one configured by {@code options} (limits, retention), with
     * a new name and port: for rules that need a node configured otherwise than the default.
     */
    protected void replaceNode(UnaryOperator<Node.Builder> options) {
        node.close();
        node = startNode("tck-" + scheme() + "-" + NODES.incrementAndGet(), listenAddress(), NODE_CERTIFICATE, options);
    }

    /** {@link #replaceNode} with {@code limits}. */
    protected void replaceNodeWith(NodeLimits limits) {
        replaceNode(builder -> builder.limits(limits));
    }

    /**
     * Starts a node besides {@link #node}, with a new name (and its own log, hence its own epoch),
     * listening on {@code address} ({@code null}: in process only); the caller closes it.
     */
    protected Node startAnotherNode(String address) {
        return startNode("tck-" + scheme() + "-" + NODES.incrementAndGet(), address, NODE_CERTIFICATE,
                UnaryOperator.identity());
    }

    private Node startNode(String name, String address, TestCertificates.Issued certificate,
                           UnaryOperator<Node.Builder> options) {
        Node.Builder builder = Node.builder().name(name);
        if (address != null) {
            builder.listen(address);
        }
        if (tls()) {
            builder.tls(certificate.chainPem(), certificate.privateKeyPem());
        }
        return options.apply(builder).build().start();
    }

    @AfterEach
    void stopNode() {
        node.close();
    }
}
