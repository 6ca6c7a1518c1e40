package dev.parley.tck.fuzz;

import dev.parley.protocol.ClientFrame;
import net.jqwik.api.Tuple;
import dev.parley.Client;
import dev.parley.ClientOptions;
import dev.parley.Conversation;
import dev.parley.DecodedMessage;
import dev.parley.Identity;
import dev.parley.MessageStream;
import dev.parley.ParleyException;
import dev.parley.StreamOptions;
import dev.parley.StreamState;
import dev.parley.internal.util.NamedThreads;
import dev.parley.internal.util.SharedResource;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AddLifecycleHook;
import net.jqwik.api.lifecycle.AfterProperty;
import net.jqwik.api.lifecycle.BeforeProperty;
import net.jqwik.api.statistics.Statistics;

import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.awaitility.core.ConditionTimeoutException;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A hostile node against the real client, over a transport's real sockets: a fake node answers the
 * handshake, queries and subscriptions with mutated frames (bad challenges, odd {@code AuthOk}s,
 * envelopes with random sequences, topics, payloads and content types, batches beyond the demand,
 * sequence jumps, empty or large results, errors with any code, answers of the wrong kind, random
 * bytes). Properties: every call the application makes returns or throws a Parley exception, within
 * a bound; no message reaches the application twice or out of order in its conversation; stream
 * callbacks only ever see Parley exceptions; no more values reach a stream than it asked for (so
 * nothing is buffered beyond its demand); every stream is live, retrying or failed, never stuck
 * elsewhere; and closing the client stops every thread it started.
 *
 * <p>A transport runs it by extending this class in its tests with its scheme and a {@link
 * FakeNode.Factory}. Tries per property: {@code -Dparley.fuzz.tries}; replay: {@code -Dparley.fuzz.seed}
 * (see {@link FuzzSettings}).
 */
@AddLifecycleHook(FuzzSettings.class)
public abstract class HostileNodeProperties {
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(2);
    /** Short: a handshake the node never answers costs three attempts of two of these. */
    private static final Duration HANDSHAKE_TIMEOUT = Duration.ofMillis(250);
    private static final int BUFFER = 4;
    private static final Identity ME = Identity.generate();
    private static final List<String> KNOWN = List.of(HostileNodeFrames.CONVERSATIONS.get(0),
            HostileNodeFrames.CONVERSATIONS.get(1));

    /** Thread names that are not a client's: the fake node's servers, this suite's, the JVM's shared pools. */
    private static final List<String> NOT_THE_CLIENTS = List.of("grpc-", "WebSocketSelector", "WebSocketWorker",
            "fuzz-", "awaitility", "ForkJoinPool", "globalEventExecutor", "parley-node-",
            "CompletableFutureDelayScheduler");

    private final HostileNodeFrames frames = new HostileNodeFrames(ME.inboxId());
    private volatile HostileNode current;
    private FakeNode fake;
    private ExecutorService caller;

    /** The URI scheme of the transport under test. */
    protected abstract String scheme();

    /** Fake nodes of this transport. */
    protected abstract FakeNode.Factory fakeNodes();

    @BeforeProperty
    void startFakeNode() {
        fake = fakeNodes().start(new FakeNode.Script() {
            @Override
            public void onFrame(FakeNode.Peer peer, ClientFrame frame) {
                current.onFrame(peer, frame);
            }
        });
        caller = Executors.newSingleThreadExecutor(NamedThreads.daemon("fuzz-application"));
    }

    @AfterProperty
    void stopFakeNode() {
        caller.shutdownNow();
        fake.close();
    }

    @Provide
    Arbitrary<Optional<Reply>> handshakeAnswers() {
        return Arbitraries.frequencyOf(
                Tuple.of(2, Arbitraries.just(Optional.<Reply>empty())),
                Tuple.of(3, frames.replies().map(Optional::of)),
                Tuple.of(1, Arbitraries.just(Optional.of(Reply.SILENCE))));
    }

    @Provide
    Arbitrary<List<Reply>> pageLists() {
        return frames.pages().list().ofMaxSize(6);
    }

    @Provide
    Arbitrary<List<Reply>> pushLists() {
        return frames.replies().list().ofMinSize(1).ofMaxSize(12);
    }

    @Property
    void aHostileHandshakeConnectsOrFailsTyped(@ForAll("handshakeAnswers") Optional<Reply> hello,
                                               @ForAll("handshakeAnswers") Optional<Reply> auth) {
        current = new HostileNode(hello.orElse(null), auth.orElse(null), List.of(), List.of());
        Set<Thread> threads = clientThreads();
        Optional<Client> client = call(() -> connect(HANDSHAKE_TIMEOUT));
        Statistics.label("handshake").collect(client.isPresent() ? "connected" : "refused");
        client.ifPresent(c -> call(() -> {
            c.conversations().sync();
            return null;
        }));
        client.ifPresent(Client::close);
        threadsFreed(threads);
    }

    @Property
    void hostileQueryResultsSyncTypedOnceAndInOrder(@ForAll("pageLists") List<Reply> pages) {
        current = new HostileNode(null, null, pages, List.of());
        Set<Thread> threads = clientThreads();
        try (Client client = call(() -> connect(REQUEST_TIMEOUT)).orElseThrow(() -> new AssertionError("honest handshake refused"))) {
            call(() -> {
                client.conversations().sync();
                return null;
            });
            List<Conversation> conversations = call(() -> client.conversations().list()).orElse(List.of());
            for (Conversation conversation : conversations) {
                call(conversation::messages).ifPresent(messages -> assertOncePerConversationInOrder(messages, false));
            }
        }
        threadsFreed(threads);
    }

    @Property
    void hostileSubscriptionsDeliverOnceInOrderOrFailTyped(@ForAll("pushLists") List<Reply> pushes,
                                                           @ForAll boolean pull, @ForAll boolean early) {
        HostileNode node = new HostileNode(null, null, List.of(HostileNode.welcomes(ME.inboxId(), KNOWN)), pushes,
                early);
        current = node;
        Set<Thread> threads = clientThreads();
        List<DecodedMessage> values = new CopyOnWriteArrayList<>();
        List<Throwable> errors = new CopyOnWriteArrayList<>();
        try (Client client = call(() -> connect(REQUEST_TIMEOUT)).orElseThrow(() -> new AssertionError("honest handshake refused"))) {
            StreamOptions.Builder<DecodedMessage> options = StreamOptions.<DecodedMessage>builder()
                    .bufferSize(BUFFER).onError(errors::add).retryDelay(Duration.ofMillis(50));
            if (!pull) {
                options.onValue(values::add);
            }
            Optional<MessageStream<DecodedMessage>> started = call(() ->
                    client.conversations().streamAllMessages(options.build()));
            if (started.isPresent()) {
                MessageStream<DecodedMessage> stream = started.get();
                Fuzz.await(WAIT).until(node.pushed::isDone);
                Fuzz.quiet(WAIT, () -> List.of(values.size(), errors.size(), stream.state()));
                if (pull) {
                    assertThat(node.maxInitialDemand()).as("initial demand of a pull stream").isLessThanOrEqualTo(BUFFER);
                    drain(stream, values);
                }
                assertThat(stream.state()).as("a stream the node attacks runs, retries or failed")
                        .isIn(StreamState.CONNECTING, StreamState.LIVE, StreamState.RETRYING, StreamState.FAILED);
                stream.close();
            }
            Statistics.label("values delivered").collect(values.isEmpty() ? "none" : values.size() < 4 ? "1-3" : "4+");
            Statistics.label("stream errors").collect(errors.isEmpty() ? "none" : "some");
            assertThat((long) values.size()).as("values delivered vs demand granted").isLessThanOrEqualTo(node.granted());
            assertOncePerConversationInOrder(values, true);
            assertThat(errors).allSatisfy(e -> assertThat(e).as("stream error").isInstanceOf(ParleyException.class));
        }
        threadsFreed(threads);
    }

    private Client connect(Duration requestTimeout) {
        return Client.create(ClientOptions.builder().endpoint(fake.endpoint()).identity(ME)
                .heartbeatInterval(Duration.ofSeconds(1)).requestTimeout(requestTimeout).build());
    }

    /** Takes what a pull stream holds, without waiting for more than a moment each time. */
    private static void drain(MessageStream<DecodedMessage> stream, List<DecodedMessage> into) {
        for (int i = 0; i < 10_000; i++) {
            Optional<DecodedMessage> next;
            try {
                next = stream.poll(Duration.ofMillis(100));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (ParleyException failed) {
                return;
            }
            if (next.isEmpty()) {
                return;
            }
            into.add(next.get());
        }
        throw new AssertionError("a pull stream never ran dry: the client buffers without bound");
    }

    /** Each message at most once, and by conversation in the order of the sequences the node sent. */
    private void assertOncePerConversationInOrder(List<DecodedMessage> messages, boolean strictOrder) {
        Set<String> ids = new HashSet<>();
        Map<String, Long> last = new HashMap<>();
        for (DecodedMessage m : messages) {
            assertThat(ids.add(m.id())).as("message %s delivered twice", m.id()).isTrue();
            Long sequence = current.sequenceOf(m.id());
            assertThat(sequence).as("message %s was sent by the node", m.id()).isNotNull();
            Long before = last.put(m.conversationId(), sequence);
            if (strictOrder && before != null) {
                assertThat(sequence).as("order in conversation %s", m.conversationId()).isGreaterThan(before);
            }
        }
    }

    /**
     * Runs what an application would call: it returns within a bound, or throws a Parley exception
     * (empty then); anything else fails the property.
     */
    private <T> Optional<T> call(Supplier<T> operation) {
        Future<T> result = caller.submit(operation::get);
        try {
            return Optional.ofNullable(result.get(WAIT.toMillis(), TimeUnit.MILLISECONDS));
        } catch (ExecutionException e) {
            assertThat(e.getCause()).as("what the application got").isInstanceOf(ParleyException.class);
            return Optional.empty();
        } catch (TimeoutException e) {
            result.cancel(true);
            throw new AssertionError("the client did not return within " + WAIT);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** Waits until every client thread started since {@code before} has ended; names those that have not. */
    private static void threadsFreed(Set<Thread> before) {
        try {
            Fuzz.await(WAIT).until(() -> startedSince(before).isEmpty());
        } catch (ConditionTimeoutException e) {
            throw new AssertionError("client threads still alive " + WAIT + " after close: "
                    + startedSince(before).stream().map(HostileNodeProperties::describe).toList(), e);
        }
    }

    private static Set<Thread> startedSince(Set<Thread> before) {
        Set<Thread> now = clientThreads();
        now.removeAll(before);
        return now;
    }

    private static String describe(Thread thread) {
        StackTraceElement[] stack = thread.getStackTrace();
        return thread.getName() + " (" + thread.getState() + ")"
                + Arrays.stream(stack).limit(8).map(frame -> "\n    at " + frame).collect(Collectors.joining());
    }

    /**
     * Live threads but those of the fake node, of this suite, of pools libraries keep for the whole JVM
     * and of Parley's shared pools while another client still uses them: what a client may start
     * (Parley's, its transport's, its socket library's).
     */
    static Set<Thread> clientThreads() {
        return Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive)
                .filter(t -> NOT_THE_CLIENTS.stream().noneMatch(t.getName()::startsWith))
                .filter(t -> !SharedResource.isHeldThread(t))
                .collect(Collectors.toCollection(HashSet::new));
    }

}
