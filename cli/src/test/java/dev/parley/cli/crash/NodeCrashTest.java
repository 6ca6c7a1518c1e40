package dev.parley.cli.crash;

import dev.parley.Client;
import dev.parley.ClientOptions;
import dev.parley.ConversationType;
import dev.parley.DecodedMessage;
import dev.parley.Group;
import dev.parley.Identity;
import dev.parley.MessageStream;
import dev.parley.StreamOptions;
import dev.parley.core.transport.TransportRegistry;
import dev.parley.internal.Topics;
import dev.parley.spi.EpochCheck;
import dev.parley.spi.Envelope;
import dev.parley.spi.Transport;
import dev.parley.spi.TransportConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A standalone node ({@code parley node --data-dir}, its own JVM) is SIGKILLed while publishers
 * storm it over gRPC and a client streams, then restarted on the same port and data directory.
 * Every acknowledged publish reaches the stream exactly once, in order per conversation, and a
 * publish re-sent with its idempotency key after the restart is stored once.
 * {@code -Dparley.crash.rounds=N} kills N times (default 2; the default run stays well under 60 s).
 */
@Timeout(180)
class NodeCrashTest {
    private static final Logger log = LoggerFactory.getLogger(NodeCrashTest.class);
    private static final int ROUNDS = Integer.getInteger("parley.crash.rounds", 2);
    private static final int PUBLISHERS = 3;
    private static final int ACKS_PER_ROUND = 15;
    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    Path dataDir;
    private final List<AutoCloseable> resources = new ArrayList<>();
    private volatile NodeProcess node;
    private volatile CountDownLatch nodeUp = new CountDownLatch(0);
    private volatile boolean storming = true;

    @AfterEach
    void cleanUp() throws Exception {
        storming = false;
        nodeUp.countDown();
        if (node != null) {
            node.close();
        }
        for (int i = resources.size() - 1; i >= 0; i--) {
            resources.get(i).close();
        }
    }

    @Test
    void acknowledgedPublishesSurviveSigkillExactlyOnceInOrder() throws Exception {
        int port = NodeProcess.freePort();
        URI endpoint = NodeProcess.endpoint(port);
        node = NodeProcess.start(dataDir, port);

        Client bob = track(connect(endpoint));
        Map<String, List<String>> received = new LinkedHashMap<>();
        List<Throwable> streamErrors = new CopyOnWriteArrayList<>();
        MessageStream<DecodedMessage> stream = track(bob.conversations().streamAllMessages(
                StreamOptions.<DecodedMessage>builder()
                        .retryDelay(Duration.ofMillis(100)).retryAttempts(10_000)
                        .onError(streamErrors::add)
                        .onValue(m -> {
                            synchronized (received) {
                                received.computeIfAbsent(m.conversationId(), c -> new ArrayList<>())
                                        .add(String.valueOf(m.content()));
                            }
                        })
                        .build()));

        List<Publisher> publishers = new ArrayList<>();
        for (int p = 0; p < PUBLISHERS; p++) {
            Client client = track(connect(endpoint));
            Group group = client.conversations().newGroup(List.of(bob.inboxId()), "storm " + p);
            publishers.add(new Publisher("p" + p, group));
        }
        // the stream is live on every group before the storm
        publishers.forEach(p -> p.group.send(p.name + "-warmup"));
        await().atMost(WAIT).until(() -> snapshot(received).size() == PUBLISHERS);
        List<Thread> threads = new ArrayList<>();
        for (Publisher p : publishers) {
            Thread t = new Thread(p::storm, "publisher-" + p.name);
            t.start();
            threads.add(t);
        }

        Transport carol = connectTransport(endpoint);
        String carolsTopic = Topics.conversation(carol.createConversation(ConversationType.GROUP, List.of(), "")
                .get(10, TimeUnit.SECONDS));
        Map<String, Long> resentKeys = new LinkedHashMap<>();

        for (int round = 1; round <= ROUNDS; round++) {
            awaitAcks(publishers, ACKS_PER_ROUND);
            String fixed = "fixed-" + round;
            long fixedSequence = carol.publish(carolsTopic, ("before kill " + round).getBytes(), fixed)
                    .get(10, TimeUnit.SECONDS).sequence();
            CompletableFuture<?> inFlight = carol.publish(carolsTopic, ("in flight " + round).getBytes(), "inflight-" + round);
            if (round == 1) {
                assertSecondNodeIsRefused(port);
            }

            nodeUp = new CountDownLatch(1);
            long pid = node.pid();
            assertThat(node.kill()).as("exit code of SIGKILL").isEqualTo(137);
            assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive)).isIn(Optional.empty(), Optional.of(false));
            node = NodeProcess.start(dataDir, port);
            nodeUp.countDown();

            inFlight.handle((r, e) -> null).get(30, TimeUnit.SECONDS); // acknowledged or not: it is re-sent below
            assertThat(publishWithRetry(carol, carolsTopic, "resent " + round, fixed)).isEqualTo(fixedSequence);
            resentKeys.put(fixed, fixedSequence);
            resentKeys.put("inflight-" + round, publishWithRetry(carol, carolsTopic, "in flight " + round, "inflight-" + round));
        }
        awaitAcks(publishers, ACKS_PER_ROUND);
        storming = false;
        for (Thread t : threads) {
            t.join(WAIT.toMillis());
            assertThat(t.isAlive()).isFalse();
        }

        log.info("{} kills: acknowledged {} messages, {} sends failed while the node was down, streamed {}",
                ROUNDS, publishers.stream().mapToInt(p -> p.acked.size()).sum(),
                publishers.stream().mapToInt(p -> p.failed.get()).sum(),
                snapshot(received).values().stream().mapToInt(List::size).sum());
        Map<String, List<String>> acked = publishers.stream()
                .collect(Collectors.toMap(p -> p.group.id(), p -> List.copyOf(p.acked)));
        await().atMost(WAIT).untilAsserted(() -> acked.forEach((conversation, messages) ->
                assertThat(snapshot(received).getOrDefault(conversation, List.of())).containsAll(messages)));
        Map<String, List<String>> seen = snapshot(received);
        for (Publisher p : publishers) {
            List<String> streamed = seen.get(p.group.id());
            assertThat(streamed).as("%s: no message twice", p.name).doesNotHaveDuplicates();
            // in order: the acknowledged ones keep their send order among what was streamed
            assertThat(streamed.stream().filter(p.acked::contains).toList()).as("%s in order", p.name)
                    .containsExactlyElementsOf(p.acked);
            assertThat(streamed).as("%s sent only these", p.name).allMatch(m -> m.startsWith(p.name + "-"));
        }
        assertThat(stream.state().toString()).doesNotContain("FAILED");

        List<Envelope> carolsLog = carol.query(carolsTopic, 0, 1000).get(10, TimeUnit.SECONDS);
        Map<String, Long> perKey = carolsLog.stream()
                .collect(Collectors.groupingBy(Envelope::idempotencyKey, Collectors.counting()));
        assertThat(perKey).as("one message per idempotency key").allSatisfy((key, count) -> assertThat(count).isOne());
        assertThat(perKey).containsOnlyKeys(resentKeys.keySet());
        Map<String, Long> sequenceByKey = carolsLog.stream()
                .collect(Collectors.toMap(Envelope::idempotencyKey, Envelope::sequence));
        assertThat(sequenceByKey).isEqualTo(resentKeys);
        assertThat(carolsLog).extracting(Envelope::sequence)
                .containsExactlyElementsOf(java.util.stream.LongStream.rangeClosed(1, carolsLog.size()).boxed().toList());
    }

    /** A second node process on the same data directory is refused while the first runs. */
    private void assertSecondNodeIsRefused(int port) throws Exception {
        try (NodeProcess second = NodeProcess.launch("--name", "second", "--data-dir", dataDir.toString(),
                "--listen", "grpc://127.0.0.1:0")) {
            assertThat(second.awaitExit(30)).as("second node's exit code; output:%n%s", second.output()).isEqualTo(2);
            assertThat(second.output()).contains("in use by another node process");
        }
    }

    /** One SDK client publishing to its group until the storm ends; remembers what was acknowledged. */
    private final class Publisher {
        final String name;
        final Group group;
        final List<String> acked = new CopyOnWriteArrayList<>();
        final AtomicInteger failed = new AtomicInteger();

        Publisher(String name, Group group) {
            this.name = name;
            this.group = group;
        }

        void storm() {
            for (int n = 0; storming; n++) {
                String text = name + "-" + n;
                try {
                    group.send(text);
                    acked.add(text);
                } catch (RuntimeException e) {
                    failed.incrementAndGet();
                    awaitNodeUp(); // not acknowledged: never counted, never re-sent under another key
                }
            }
        }
    }

    /** Paces a publisher whose send failed: until the node is up again, then one poll interval (it reconnects). */
    private void awaitNodeUp() {
        await().atMost(WAIT).pollInterval(Duration.ofMillis(25))
                .until(() -> !storming || nodeUp.getCount() == 0);
    }

    private static void awaitAcks(List<Publisher> publishers, int more) {
        Map<Publisher, Integer> start = publishers.stream().collect(Collectors.toMap(Function.identity(), p -> p.acked.size()));
        await().atMost(WAIT).until(() -> publishers.stream().allMatch(p -> p.acked.size() >= start.get(p) + more));
    }

    /** Publishes with {@code key} until the node acknowledges (it may be restarting); the acknowledged sequence. */
    private static long publishWithRetry(Transport transport, String topic, String payload, String key) {
        return await().atMost(WAIT).pollInterval(Duration.ofMillis(50)).until(() -> {
            try {
                return transport.publish(topic, payload.getBytes(), key).get(10, TimeUnit.SECONDS).sequence();
            } catch (Exception e) {
                return null;
            }
        }, s -> s != null);
    }

    private static Map<String, List<String>> snapshot(Map<String, List<String>> received) {
        synchronized (received) {
            Map<String, List<String>> copy = new LinkedHashMap<>();
            received.forEach((k, v) -> copy.put(k, List.copyOf(v)));
            return copy;
        }
    }

    private Client connect(URI endpoint) {
        return Client.create(ClientOptions.builder().endpoint(endpoint).identity(Identity.generate())
                .requestTimeout(Duration.ofSeconds(5)).build());
    }

    private Transport connectTransport(URI endpoint) {
        Transport transport = TransportRegistry.forScheme("grpc").connect(endpoint, TransportConfig.builder()
                .authenticator(Identity.generate()).requestTimeout(Duration.ofSeconds(5)).epochCheck(EpochCheck.ANY)
                .build());
        resources.add(transport::close);
        return transport;
    }

    private <T extends AutoCloseable> T track(T resource) {
        resources.add(resource);
        return resource;
    }
}
