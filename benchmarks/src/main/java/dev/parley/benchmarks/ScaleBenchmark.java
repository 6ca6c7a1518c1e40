package dev.parley.benchmarks;

import dev.parley.Client;
import dev.parley.ClientOptions;
import dev.parley.DecodedMessage;
import dev.parley.Identity;
import dev.parley.MessageStream;
import dev.parley.StreamOptions;
import dev.parley.StreamState;
import dev.parley.internal.Topics;
import dev.parley.node.Node;
import dev.parley.spi.PublishResult;
import dev.parley.spi.Transport;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.IterationParams;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.IntStream;

/**
 * The scale targets of DESIGN §7, each on one node in this JVM.
 * <ul>
 * <li>{@link #timeToLive}: one {@code streamAllMessages} over {@code conversations} conversations. Each
 * invocation is a fresh client (empty store) of an inbox that is a member of all of them; the time is
 * the {@code streamAllMessages} call alone, which returns after its first attempt (StreamEngine: sync,
 * then subscribe to every topic) and must then be {@code LIVE}. Secondary: {@code heapGrowthMiB}.</li>
 * <li>{@link #fanOut}: {@code subscribers} clients, each with its own connection and one push-mode
 * {@code streamAllMessages}, all members of one group; the time from publishing one message into the
 * group until every subscriber's {@code onValue} has run. Secondary: threads and heap of the set-up.
 * With {@code store=sqlite} every subscriber keeps its state in its own SQLite file ({@code dbPath}); the
 * heap figure then leaves out SQLite's native memory (its page cache per connection).</li>
 * </ul>
 */
@Fork(1)
public class ScaleBenchmark {

    /**
     * Time to live over many conversations. {@code heapGrowthMiB} is the used heap after GC with the stream
     * live minus the used heap after GC before the client was created (conversations already on the node):
     * the subscriber client (store with every conversation, cursors, connection, threads' objects) and the
     * stream, plus what the node holds for this connection and subscription (its cursor per topic and
     * fan-out registrations), which lives in the same JVM. It is therefore an upper bound on the client's share.
     * Before measuring the heap the stream is checked to deliver a message of the last conversation.
     */
    @Benchmark
    @BenchmarkMode(Mode.SingleShotTime)
    @OutputTimeUnit(TimeUnit.MILLISECONDS)
    @Warmup(iterations = 1)
    @Measurement(iterations = 5)
    public MessageStream<DecodedMessage> timeToLive(ManyConversations s) {
        MessageStream<DecodedMessage> stream = s.subscriber.conversations().streamAllMessages(s.options);
        s.stream = stream;
        if (stream.state() != StreamState.LIVE) {
            throw new IllegalStateException("streamAllMessages returned in state " + stream.state());
        }
        return stream;
    }

    /**
     * Fan-out latency: from publishing one 64-byte text message (bare transport, no client on the sending
     * side) until the last of the {@code subscribers} {@code onValue} callbacks has run, which covers the
     * node's append and wake-up of every subscription, each connection, and each client's decode, store and
     * callback. All subscribers are real clients with their own connection and threads in this one JVM,
     * so the figure is bound by the machine's cores; {@code threads} shows what that costs.
     */
    @Benchmark
    @BenchmarkMode(Mode.SampleTime)
    @OutputTimeUnit(TimeUnit.MILLISECONDS)
    @Warmup(iterations = 2, time = 2)
    @Measurement(iterations = 3, time = 2)
    public void fanOut(ManySubscribers s, SubscriberCosts costs, IterationParams iteration) throws Exception {
        CountDownLatch latch = new CountDownLatch(s.subscribers);
        s.delivered = latch;
        CompletableFuture<PublishResult> published = s.publisher.publish(s.topic, s.payload, "k" + s.key++);
        if (!latch.await(60, TimeUnit.SECONDS)) {
            published.join(); // a failed publish explains the timeout best
            throw new TimeoutException(latch.getCount() + " of " + s.subscribers + " subscribers got nothing");
        }
        costs.threads = Bench.share(s.threads, iteration);
        costs.heapPerSubscriberKiB = Bench.share(s.heapPerSubscriberKiB, iteration);
    }

    /** {@link #timeToLive}: the conversations on the node, a fresh subscriber client per invocation. */
    @State(Scope.Thread)
    public static class ManyConversations {
        @Param({"inproc", "grpc", "ws"})
        public String transport;

        @Param({"10000"})
        public int conversations;

        private Node node;
        private Transport creator;
        private Identity subscriberIdentity;
        private String lastTopic;
        private long key;
        private long heapBefore;
        private Client subscriber;
        private MessageStream<DecodedMessage> stream;
        private volatile CountDownLatch probe = new CountDownLatch(0);
        private final StreamOptions<DecodedMessage> options = StreamOptions.<DecodedMessage>builder()
                .onValue(m -> probe.countDown()).build();

        @Setup(Level.Trial)
        public void createConversations() throws InterruptedException {
            node = Bench.node(transport);
            creator = Bench.transport(node, transport, Identity.generate());
            subscriberIdentity = Identity.generate();
            List<String> ids = Bench.createGroups(creator, List.of(subscriberIdentity.inboxId()), conversations);
            lastTopic = Topics.conversation(ids.get(ids.size() - 1));
        }

        @Setup(Level.Invocation)
        public void connect() {
            heapBefore = Bench.usedHeapAfterGc();
            subscriber = Bench.client(node, transport, subscriberIdentity);
        }

        @TearDown(Level.Invocation)
        public void measureAndClose(StreamCosts costs, IterationParams iteration) throws Exception {
            try {
                if (stream != null) {
                    CountDownLatch delivered = new CountDownLatch(1);
                    probe = delivered;
                    creator.publish(lastTopic, Bench.textPayload(16), "probe-" + key++).join();
                    if (!delivered.await(30, TimeUnit.SECONDS)) {
                        throw new TimeoutException("the live stream did not deliver a message of its last conversation");
                    }
                    costs.heapGrowthMiB = Bench.share((Bench.usedHeapAfterGc() - heapBefore) / Bench.MIB, iteration);
                    stream.end();
                }
            } finally {
                stream = null;
                subscriber.close();
            }
        }

        @TearDown(Level.Trial)
        public void stop() {
            creator.close();
            node.close();
        }
    }

    /** {@link #fanOut}: the subscribers, each a client with its own connection and stream, live for the trial. */
    @State(Scope.Benchmark)
    public static class ManySubscribers {
        @Param({"inproc", "grpc", "ws"})
        public String transport;

        /** At most 1000: the node's limit of members per conversation. */
        @Param({"1000"})
        public int subscribers;

        /**
         * The subscribers' stores: {@code memory}, or {@code sqlite} (each its own file, {@code dbPath}, in a
         * directory made for the trial), so that threads and heap per subscriber are seen with the durable store.
         */
        @Param({"memory"})
        public String store;

        private Node node;
        private Transport publisher;
        private String topic;
        private final byte[] payload = Bench.textPayload(64);
        private long key;
        private final List<Client> clients = new ArrayList<>();
        private final List<MessageStream<DecodedMessage>> streams = new ArrayList<>();
        private volatile CountDownLatch delivered = new CountDownLatch(0);
        private long threads;
        private double heapPerSubscriberKiB;
        private Path databases; // with store=sqlite

        /**
         * One group of all subscribers, created by the first of them; its messages are published through
         * a bare transport of that first inbox (a member, as writers must be), so every one of the
         * {@code subscribers} streams, including the creator's own client, receives each message.
         */
        @Setup(Level.Trial)
        public void subscribe() throws Exception {
            node = Bench.node(transport);
            databases = "sqlite".equals(store) ? Files.createTempDirectory("parley-bench-subscribers") : null;
            List<Identity> identities = IntStream.range(0, subscribers).mapToObj(i -> Identity.generate()).toList();
            long heapBefore = Bench.usedHeapAfterGc();
            publisher = Bench.transport(node, transport, identities.get(0));
            List<String> members = identities.stream().skip(1).map(Identity::inboxId).toList();
            topic = Topics.conversation(Bench.createGroups(publisher, members, 1).get(0));
            StreamOptions<DecodedMessage> options = StreamOptions.<DecodedMessage>builder()
                    .onValue(m -> delivered.countDown()).build();
            ExecutorService starting = Executors.newFixedThreadPool(8);
            try {
                awaitAll(identities.stream().map(identity -> CompletableFuture.supplyAsync(
                        () -> Bench.client(node, transport, identity, o -> withStore(o, identity)), starting)).toList(), clients);
                awaitAll(clients.stream().map(client -> CompletableFuture.supplyAsync(
                        () -> client.conversations().streamAllMessages(options), starting)).toList(), streams);
            } catch (RuntimeException e) {
                stop();
                throw e;
            } finally {
                starting.shutdown();
                starting.awaitTermination(10, TimeUnit.SECONDS);
            }
            threads = ManagementFactory.getThreadMXBean().getThreadCount();
            heapPerSubscriberKiB = (Bench.usedHeapAfterGc() - heapBefore) / 1024.0 / subscribers;
        }

        private ClientOptions.Builder withStore(ClientOptions.Builder options, Identity identity) {
            return databases == null ? options : options.dbPath(databases.resolve(identity.inboxId() + ".db3"));
        }

        /** Waits for every one and adds the results to {@code into} (so all can be closed), then throws the first failure. */
        private static <T> void awaitAll(List<CompletableFuture<T>> futures, List<T> into) {
            RuntimeException failure = null;
            for (CompletableFuture<T> future : futures) {
                try {
                    into.add(future.join());
                } catch (RuntimeException e) {
                    failure = failure == null ? e : failure;
                }
            }
            if (failure != null) {
                throw failure;
            }
        }

        @TearDown(Level.Trial)
        public void stop() {
            streams.forEach(MessageStream::end);
            clients.forEach(Client::close);
            publisher.close();
            node.close();
            if (databases != null) {
                Bench.deleteTree(databases);
            }
        }
    }

    /** What the stream of {@link #timeToLive} costs: heap growth, MiB (see there), mean per invocation ({@link Bench#share}). */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.EVENTS)
    public static class StreamCosts {
        public double heapGrowthMiB;
    }

    /**
     * What the {@link #fanOut} set-up costs, read once it is live ({@link Bench#share}): live threads in the JVM
     * (node, subscribers, JMH) and the growth of used heap after GC per subscriber (its client with the group of
     * all subscribers in its store, connection, stream, and the node's side of them).
     */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.EVENTS)
    public static class SubscriberCosts {
        public double threads;
        public double heapPerSubscriberKiB;
    }
}
