package dev.parley.core.transport;

import dev.parley.AuthenticationException;
import dev.parley.ConversationType;
import dev.parley.LimitExceededException;
import dev.parley.NodeResetException;
import dev.parley.PermissionDeniedException;
import dev.parley.ProtocolException;
import dev.parley.TransportException;
import dev.parley.internal.Failures;
import dev.parley.spi.Envelope;
import dev.parley.spi.SubscriptionLimits;
import dev.parley.spi.SubscriptionListener;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static dev.parley.core.transport.ScriptedEndpoints.uri;
import static dev.parley.core.transport.ScriptedEndpoints.uris;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** {@link FailoverTransport} over scripted endpoints: which failures move it, in which order, and what it closes. */
class FailoverTransportTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final TransportException UNREACHABLE = new TransportException("connection refused", true);

    private final ScriptedEndpoints scripted = new ScriptedEndpoints();
    private final List<FailoverTransport> opened = new ArrayList<>();

    @AfterEach
    void closeAll() {
        opened.forEach(FailoverTransport::close);
    }

    private FailoverTransport connect(String... names) {
        FailoverTransport transport = FailoverTransport.connect(uris(names), scripted, scripted, TIMEOUT);
        opened.add(transport);
        return transport;
    }

    @Test
    void connectsToTheFirstEndpointThatAnswersAndLeavesTheOthersForLater() {
        scripted.endpoint("a").refuseConnections(UNREACHABLE);

        FailoverTransport transport = connect("a", "b", "c");

        assertThat(transport.currentEndpoint()).isEqualTo(uri("b"));
        assertThat(scripted.endpoint("a").connects).hasValue(1);
        assertThat(scripted.endpoint("b").connects).hasValue(1);
        assertThat(scripted.endpoint("c").connects).hasValue(0);
        assertThat(done(transport.createConversation(ConversationType.DM, List.of("x"), ""))).isEqualTo("b");
    }

    @Test
    void whenNoEndpointAnswersTheFailureNamesEveryOneAndWhy() {
        scripted.endpoint("a").refuseConnections(new TransportException("connection refused", true));
        scripted.endpoint("b").refuseConnections(new TransportException("no route to host", true));

        assertThatThrownBy(() -> connect("a", "b"))
                .isInstanceOfSatisfying(TransportException.class, e -> {
                    assertThat(e.isRetryable()).isTrue();
                    assertThat(e.getSuppressed()).hasSize(1);
                })
                .hasMessage("none of the endpoints answered: scripted://a (connection refused); "
                        + "scripted://b (no route to host)");
    }

    @Test
    void aRefusalWhileConnectingIsThrownWithoutTryingTheNext() {
        scripted.endpoint("a").refuseConnections(new AuthenticationException("identity refused"));

        assertThatThrownBy(() -> connect("a", "b")).isInstanceOf(AuthenticationException.class);
        assertThat(scripted.endpoint("b").connects).hasValue(0);
    }

    @Test
    void anOperationTheCurrentEndpointCannotReachGoesToTheNextWhichStaysCurrent() {
        FailoverTransport transport = connect("a", "b");
        scripted.endpoint("a").failRequests(UNREACHABLE);

        assertThat(done(transport.publish("t", new byte[0], "key"))).isNotNull();

        assertThat(transport.currentEndpoint()).isEqualTo(uri("b"));
        assertThat(scripted.endpoint("a").requests).hasValue(1);
        assertThat(scripted.endpoint("b").requests).hasValue(1);
        done(transport.query("t", 0, 10));
        done(transport.updateGroup(null));
        assertThat(scripted.endpoint("a").requests).hasValue(1);
        assertThat(scripted.endpoint("b").requests).hasValue(3);
        assertThat(scripted.endpoint("b").connects).hasValue(1);
    }

    static Stream<RuntimeException> refusals() {
        return Stream.of(new PermissionDeniedException("not a member"), new ProtocolException("malformed"),
                new LimitExceededException(LimitExceededException.CONVERSATIONS_PER_MINUTE, "slow down", true),
                new LimitExceededException(LimitExceededException.STORED_BYTES_PER_INBOX, "full", false),
                new NodeResetException("old", "new"), new TransportException("certificate refused", false));
    }

    @ParameterizedTest
    @MethodSource("refusals")
    void aRefusalFailsTheOperationWhereItIs(RuntimeException refusal) {
        FailoverTransport transport = connect("a", "b");
        scripted.endpoint("a").failRequests(refusal);

        assertThat(failureOf(transport.publish("t", new byte[0], "key"))).isSameAs(refusal);
        assertThat(failureOf(transport.subscribe(Map.of(), 1, new Listener()))).isSameAs(refusal);

        assertThat(transport.currentEndpoint()).isEqualTo(uri("a"));
        assertThat(scripted.endpoint("b").connects).hasValue(0);
    }

    @Test
    void anOperationTriesEachEndpointOnceFromTheCurrentOneThenFailsNamingThem() {
        scripted.endpoint("a").failRequests(new TransportException("a is down", true));
        scripted.endpoint("b").failRequests(new TransportException("b is down", true));
        scripted.endpoint("c").failRequests(new TransportException("c is down", true));
        FailoverTransport transport = connect("a", "b", "c");
        scripted.endpoint("a").answer();
        done(transport.publish("t", new byte[0], "k")); // still on a
        scripted.endpoint("a").failRequests(new TransportException("a is down", true));

        Throwable failure = failureOf(transport.createConversation(ConversationType.GROUP, List.of(), ""));

        assertThat(failure).isInstanceOfSatisfying(TransportException.class, e -> assertThat(e.isRetryable()).isTrue())
                .hasMessage("none of the endpoints answered: scripted://a (a is down); scripted://b (b is down); "
                        + "scripted://c (c is down)");
        assertThat(List.of(scripted.endpoint("a").requests.get(), scripted.endpoint("b").requests.get(),
                scripted.endpoint("c").requests.get())).containsExactly(2, 1, 1);
        assertThat(transport.currentEndpoint()).isEqualTo(uri("a")); // round the circle, back to the first
    }

    @Test
    void anOperationIsNotTriedOnTheNextEndpointOnceItsRequestTimeoutHasPassed() {
        FailoverTransport transport = FailoverTransport.connect(uris("a", "b"), scripted, scripted, Duration.ofNanos(1));
        opened.add(transport);
        scripted.endpoint("a").failRequests(UNREACHABLE);

        assertThat(failureOf(transport.createConversation(ConversationType.GROUP, List.of(), ""))).isSameAs(UNREACHABLE);

        assertThat(scripted.endpoint("b").requests).as("nobody waits for a second try").hasValue(0);
        assertThat(transport.currentEndpoint()).isEqualTo(uri("b"));
        // a call that would wait for b's connection is over its time too: once b is connected, one answers
        await().atMost(Duration.ofSeconds(5)).ignoreExceptions().untilAsserted(() ->
                assertThat(done(transport.createConversation(ConversationType.GROUP, List.of(), ""))).isEqualTo("b"));
    }

    @Test
    void itTimesOutRequestsItselfAndATryOnTheNextEndpointEndsAtTheCallsDeadline() {
        Duration timeout = Duration.ofMillis(300);
        FailoverTransport transport = FailoverTransport.connect(uris("a", "b"), scripted, scripted, timeout);
        opened.add(transport);
        scripted.endpoint("a").failRequests(UNREACHABLE);
        scripted.endpoint("b").neverAnswer(true); // claims a bound of its own, counted from its own, later call

        long start = System.nanoTime();
        Throwable failure = failureOf(transport.publish("conv/c", new byte[1], "k"));

        assertThat(transport.timesOutRequests()).isTrue();
        assertThat(failure).isInstanceOf(TransportException.class).hasMessageContaining("no answer from the node");
        assertThat(((TransportException) failure).isRetryable()).isTrue();
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(timeout)
                .isLessThan(timeout.plusSeconds(2));
        assertThat(scripted.endpoint("b").requests).hasValue(1);
    }

    @Test
    void aFirstTryOnATransportThatLeavesTimeoutsToItsCallerIsBounded() {
        Duration timeout = Duration.ofMillis(300);
        scripted.endpoint("a").neverAnswer(false);
        FailoverTransport transport = FailoverTransport.connect(uris("a", "b"), scripted, scripted, timeout);
        opened.add(transport);

        Throwable failure = failureOf(transport.query("conv/c", 0, 10));

        assertThat(failure).isInstanceOf(TransportException.class).hasMessageContaining("no answer from the node");
        assertThat(scripted.endpoint("b").requests).as("the call's time is up: no next try").hasValue(0);
        assertThat(transport.currentEndpoint()).isEqualTo(uri("b"));
    }

    @Test
    void endpointsTakeTurnsRoundRobinAndAFailedOneIsUsedAgainWhenItsTurnComes() {
        FailoverTransport transport = connect("a", "b", "c");
        List<String> answeredBy = new ArrayList<>();
        for (String down : List.of("a", "b", "c", "a")) {
            scripted.endpoint(down).failRequests(UNREACHABLE);
            answeredBy.add(done(transport.createConversation(ConversationType.DM, List.of("x"), "")));
            scripted.endpoint(down).answer();
        }

        assertThat(answeredBy).containsExactly("b", "c", "a", "b");
        assertThat(scripted.endpoint("a").connects).hasValue(1); // its transport was kept, not made again
        assertThat(scripted.endpoint("b").connects).hasValue(1);
        assertThat(scripted.endpoint("c").connects).hasValue(1);
    }

    @Test
    void aSubscribeIsNotMovedButTheNextOneGoesToTheNextEndpoint() {
        FailoverTransport transport = connect("a", "b");
        scripted.endpoint("a").failRequests(UNREACHABLE);

        assertThat(failureOf(transport.subscribe(Map.of("t", 0L), 1, new Listener()))).isSameAs(UNREACHABLE);
        assertThat(scripted.endpoint("b").requests).hasValue(0);
        assertThat(transport.currentEndpoint()).isEqualTo(uri("b"));

        done(transport.subscribe(Map.of("t", 0L), 1, new Listener()));
        assertThat(scripted.endpoint("b").listeners).hasSize(1);
    }

    @Test
    void aBrokenSubscriptionMovesTheEndpointOnceAndItsListenerStillHearsEverything() {
        FailoverTransport transport = connect("a", "b", "c");
        Listener first = new Listener();
        Listener second = new Listener();
        done(transport.subscribe(Map.of("t", 0L), 1, first));
        done(transport.subscribe(Map.of("u", 0L), 1, second));
        SubscriptionListener firstOnNode = scripted.endpoint("a").listeners.get(0);
        SubscriptionListener secondOnNode = scripted.endpoint("a").listeners.get(1);
        Envelope envelope = new Envelope("t", 1, 0, new byte[0], "k", "sender");

        firstOnNode.onEnvelope(envelope);
        firstOnNode.onHeartbeat();
        firstOnNode.onError(UNREACHABLE);
        secondOnNode.onError(UNREACHABLE); // the same node's second broken subscription: no second step

        assertThat(first.events).containsExactly("envelope t#1", "heartbeat", "error connection refused");
        assertThat(second.events).containsExactly("error connection refused");
        assertThat(transport.currentEndpoint()).isEqualTo(uri("b"));
    }

    @Test
    void aSubscriptionEndingWithoutErrorOrWithARefusalDoesNotMoveTheEndpoint() {
        FailoverTransport transport = connect("a", "b");
        Listener listener = new Listener();
        done(transport.subscribe(Map.of("t", 0L), 1, listener));
        done(transport.subscribe(Map.of("u", 0L), 1, new Listener()));

        scripted.endpoint("a").listeners.get(0).onClosed();
        scripted.endpoint("a").listeners.get(1).onError(new PermissionDeniedException("removed"));

        assertThat(listener.events).containsExactly("closed");
        assertThat(transport.currentEndpoint()).isEqualTo(uri("a"));
    }

    @Test
    void aConnectionThatFailedLaterIsTriedAgainOnTheNextUse() {
        FailoverTransport transport = connect("a", "b");
        scripted.endpoint("a").failRequests(UNREACHABLE);
        NodeResetException otherHistory = new NodeResetException("old", "new");
        scripted.endpoint("b").refuseNextConnection(otherHistory);

        assertThat(failureOf(transport.publish("t", new byte[0], "k"))).isSameAs(otherHistory);
        assertThat(transport.currentEndpoint()).isEqualTo(uri("b"));

        assertThat(done(transport.createConversation(ConversationType.DM, List.of("x"), ""))).isEqualTo("b");
        assertThat(scripted.endpoint("b").connects).hasValue(2);
    }

    @Test
    void subscriptionLimitsAreTheCurrentEndpointsOnceConnected() {
        scripted.endpoint("a").limits = new SubscriptionLimits(4, 5);
        scripted.endpoint("b").limits = new SubscriptionLimits(8, 9);
        FailoverTransport transport = connect("a", "b");
        assertThat(transport.subscriptionLimits()).isEqualTo(new SubscriptionLimits(4, 5));

        scripted.endpoint("a").failRequests(UNREACHABLE);
        failureOf(transport.subscribe(Map.of(), 1, new Listener()));
        assertThat(transport.subscriptionLimits()).as("b not connected yet: the last connection's")
                .isEqualTo(new SubscriptionLimits(4, 5));

        done(transport.subscribe(Map.of(), 1, new Listener()));
        assertThat(transport.subscriptionLimits()).isEqualTo(new SubscriptionLimits(8, 9));
    }

    @Test
    void closeClosesEveryConnectionIncludingOneStillConnecting() throws InterruptedException {
        CountDownLatch connecting = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        ScriptedEndpoints.Endpoint c = scripted.endpoint("c");
        FailoverTransport transport = FailoverTransport.connect(uris("a", "b", "c"), scripted, endpoint -> {
            if (endpoint.equals(c.uri)) {
                connecting.countDown();
                awaitQuietly(release);
            }
            return scripted.connect(endpoint);
        }, TIMEOUT);
        scripted.endpoint("a").failRequests(UNREACHABLE);
        done(transport.query("t", 0, 1)); // b connected
        scripted.endpoint("b").failRequests(UNREACHABLE);
        CompletableFuture<List<Envelope>> onC = transport.query("t", 0, 1);
        assertThat(connecting.await(5, TimeUnit.SECONDS)).isTrue();

        transport.close();
        release.countDown();

        await().atMost(5, TimeUnit.SECONDS).until(c::closed);
        assertThat(scripted.endpoint("a").closed()).isTrue();
        assertThat(scripted.endpoint("b").closed()).isTrue();
        assertThat(Failures.unwrap(failureOf(onC))).isInstanceOf(TransportException.class);
        assertThat(failureOf(transport.publish("t", new byte[0], "k")))
                .isInstanceOfSatisfying(TransportException.class, e -> assertThat(e.isRetryable()).isFalse())
                .hasMessage("transport closed");
        transport.close(); // idempotent
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static <T> T done(CompletableFuture<T> future) {
        return future.orTimeout(5, TimeUnit.SECONDS).join();
    }

    private static Throwable failureOf(CompletableFuture<?> future) {
        try {
            future.orTimeout(5, TimeUnit.SECONDS).join();
        } catch (RuntimeException e) {
            return Failures.unwrap(e);
        }
        throw new AssertionError("expected the future to fail, it completed");
    }

    /** Records what a subscription told it, in order. */
    private static final class Listener implements SubscriptionListener {
        final List<String> events = new ArrayList<>();

        @Override
        public void onEnvelope(Envelope envelope) {
            events.add("envelope " + envelope.topic() + "#" + envelope.sequence());
        }

        @Override
        public void onHeartbeat() {
            events.add("heartbeat");
        }

        @Override
        public void onError(Throwable error) {
            events.add("error " + error.getMessage());
        }

        @Override
        public void onClosed() {
            events.add("closed");
        }
    }
}
