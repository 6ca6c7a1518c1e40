package dev.parley.benchmarks;

import com.google.protobuf.ByteString;
import dev.parley.Client;
import dev.parley.ClientOptions;
import dev.parley.ContentTypeId;
import dev.parley.ConversationType;
import dev.parley.Identity;
import dev.parley.core.transport.TransportRegistry;
import dev.parley.node.Node;
import dev.parley.protocol.MessagePayload;
import dev.parley.spi.Transport;
import dev.parley.spi.TransportConfig;
import dev.parley.spi.node.NodeLimits;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.runner.IterationType;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

/** Set-up shared by the benchmarks: a node serving a transport, clients on it, payloads, heap readings. */
final class Bench {
    /** Requests a pipelining publisher keeps in flight. */
    static final int WINDOW = 256;
    static final double MIB = 1024.0 * 1024.0;
    private static final AtomicInteger NODES = new AtomicInteger();
    /**
     * The node's default limits, but for the two a benchmark's single inbox outgrows by design (10,000
     * conversations created in a burst, gigabytes published over many iterations). Both are still
     * checked on every request, so their cost is measured.
     */
    private static final NodeLimits LIMITS = NodeLimits.builder()
            .conversationsPerInboxPerMinute(Integer.MAX_VALUE)
            .maxStoredBytesPerInbox(Long.MAX_VALUE)
            .build();
    private static final MemoryMXBean MEMORY = ManagementFactory.getMemoryMXBean();

    private Bench() {
    }

    /** A started node that serves {@code transport} ({@code inproc}, {@code grpc} or {@code ws}) on loopback. */
    static Node node(String transport) {
        return node(transport, "memory:");
    }

    /** {@link #node(String)} keeping its data in {@code store} (a node store URI). */
    static Node node(String transport, String store) {
        Node.Builder builder = Node.builder().name("bench-" + NODES.incrementAndGet()).store(store).limits(LIMITS);
        if (!"inproc".equals(transport)) {
            builder.listen(transport + "://127.0.0.1:0");
        }
        return builder.build().start();
    }

    static Client client(Node node, String transport, Identity identity) {
        return client(node, transport, identity, options -> options);
    }

    /** A client with more options (a database, a cache bound). */
    static Client client(Node node, String transport, Identity identity, UnaryOperator<ClientOptions.Builder> options) {
        return Client.create(options.apply(ClientOptions.builder().endpoint(node.endpoint(transport).toString())
                .identity(identity)).build());
    }

    /** A bare, authenticated transport of {@code identity}: no client, store or stream on top. */
    static Transport transport(Node node, String transport, Identity identity) {
        return TransportRegistry.forScheme(transport).connect(node.endpoint(transport),
                TransportConfig.builder().authenticator(identity).build());
    }

    /**
     * Creates {@code count} groups of the transport's inbox and {@code members}, pipelined ({@value #WINDOW}
     * requests in flight): the node does exactly what {@code newGroup} makes it do, without a round trip each.
     */
    static List<String> createGroups(Transport creator, List<String> members, int count) throws InterruptedException {
        Semaphore inFlight = new Semaphore(WINDOW);
        List<CompletableFuture<String>> created = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            inFlight.acquire();
            created.add(creator.createConversation(ConversationType.GROUP, members, "")
                    .whenComplete((id, e) -> inFlight.release()));
        }
        return created.stream().map(CompletableFuture::join).toList();
    }

    /**
     * {@code count} asynchronous operations, the i-th started by {@code start.apply(i)}, at most
     * {@code window} in flight; returns once every one completed, throws the first failure.
     */
    static void pipelined(int count, int window, IntFunction<CompletableFuture<?>> start) throws Exception {
        Semaphore inFlight = new Semaphore(window);
        List<CompletableFuture<?>> done = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            inFlight.acquire();
            done.add(start.apply(i).whenComplete((r, e) -> inFlight.release()));
        }
        CompletableFuture.allOf(done.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
    }

    /** A text message payload whose content has {@code bytes} bytes, as the SDK publishes it. */
    static byte[] textPayload(int bytes) {
        char[] text = new char[bytes];
        Arrays.fill(text, 'x');
        return MessagePayload.newBuilder()
                .setContentType(ContentTypeId.TEXT.toString())
                .setContent(ByteString.copyFrom(new String(text).getBytes(StandardCharsets.UTF_8)))
                .build().toByteArray();
    }

    /**
     * Used heap in bytes after full collections, repeated (at most five) until two readings agree within
     * 256 KiB, so that garbage freed only by a second pass (cleaners of closed sockets) is not counted.
     */
    static long usedHeapAfterGc() {
        long previous = Long.MAX_VALUE;
        for (int i = 0; i < 5; i++) {
            System.gc();
            long used = MEMORY.getHeapMemoryUsage().getUsed();
            if (Math.abs(previous - used) < 256 * 1024) {
                return used;
            }
            previous = used;
        }
        return previous;
    }

    /**
     * What to put into an {@code @AuxCounters(EVENTS)} field for a level such as a heap size: JMH sums those
     * counters over the measurement iterations, so each measurement iteration enters its share and the
     * summary shows the mean (the per-iteration lines then show value / iterations).
     */
    static double share(double value, IterationParams iteration) {
        return iteration.getType() == IterationType.MEASUREMENT ? value / iteration.getCount() : value;
    }

    /** Deletes {@code dir} and everything in it (a benchmark's temporary databases). */
    static void deleteTree(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(file -> {
                try {
                    Files.delete(file);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
