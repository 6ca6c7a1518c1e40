package dev.parley.cli.crash;

import dev.parley.Client;
import dev.parley.ClientOptions;
import dev.parley.Group;
import dev.parley.Identity;
import dev.parley.LocalStoreException;
import dev.parley.StreamOptions;
import dev.parley.node.Node;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * A client process with {@code dbPath} and a durable stream is killed (SIGKILL) while it handles
 * messages from a node in this JVM (gRPC over loopback); the next process with the same stream name
 * gets every message at least once, again only what was in flight, then after a clean {@code end()}
 * exactly once. While a process has the file, opening it here is refused ({@code LOCKED}).
 * {@code -Dparley.crashTest.messages=N} (default 2000) makes it longer.
 */
@Timeout(120)
class DurableStreamCrashTest {
    private static final int MESSAGES = Integer.getInteger("parley.crashTest.messages", 2_000);
    private static final Duration WAIT = Duration.ofSeconds(45);

    @TempDir
    Path dir;

    private final List<Process> processes = new ArrayList<>();
    private final Identity bob = Identity.generate();
    private Node node;
    private Client alice;

    @BeforeEach
    void startNode() {
        node = Node.builder().name("crash-" + ProcessHandle.current().pid()).listen("grpc://127.0.0.1:0").build().start();
        alice = Client.create(ClientOptions.builder().endpoint(node.endpoint("grpc")).identity(Identity.generate()).build());
    }

    @AfterEach
    void stopEverything() throws InterruptedException {
        for (Process process : processes) {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
        alice.close();
        node.close();
    }

    @Test
    void afterAKillEveryMessageArrivesAtLeastOnceAndAfterACleanEndExactlyOnce() throws Exception {
        Group group = alice.conversations().newGroup(List.of(bob.inboxId()));
        Path first = dir.resolve("first.txt");
        Consumer crashed = start(first);
        ClientOptions sameFile = ClientOptions.builder().endpoint(node.endpoint("grpc")).identity(bob)
                .dbPath(dir.resolve("bob.db")).build();
        assertThatThrownBy(() -> Client.create(sameFile).close()).as("the file is another process's")
                .isInstanceOfSatisfying(LocalStoreException.class,
                        e -> assertThat(e.reason()).isEqualTo(LocalStoreException.Reason.LOCKED));
        AtomicInteger sent = new AtomicInteger();
        CompletableFuture<Void> publishing = CompletableFuture.runAsync(() ->
                IntStream.rangeClosed(1, MESSAGES).forEach(i -> {
                    group.send(Integer.toString(i));
                    sent.incrementAndGet();
                }));

        await().atMost(WAIT).until(() -> lines(first).size() >= MESSAGES / 2);
        crashed.process.destroyForcibly(); // SIGKILL while it handles
        assertThat(crashed.process.waitFor(10, TimeUnit.SECONDS)).isTrue();
        publishing.get(WAIT.toSeconds(), TimeUnit.SECONDS);

        Path second = dir.resolve("second.txt");
        Consumer restarted = start(second);
        await().atMost(WAIT).until(() -> lines(second).contains(Integer.toString(MESSAGES)));
        List<Integer> before = numbers(first);
        List<Integer> after = numbers(second);
        assertThat(before).isEqualTo(IntStream.rangeClosed(1, before.size()).boxed().toList());
        int resumedAt = after.get(0);
        System.out.printf("crash: %d of %d handled before the kill, resumed at %d (%d again)%n",
                before.size(), MESSAGES, resumedAt, before.size() - resumedAt + 1);
        assertThat(resumedAt).as("nothing lost").isLessThanOrEqualTo(before.size() + 1);
        assertThat(before.size() - resumedAt + 1).as("again only what was in flight (one run at most)")
                .isLessThanOrEqualTo(StreamOptions.DEFAULT_BUFFER_SIZE);
        assertThat(after).isEqualTo(IntStream.rangeClosed(resumedAt, MESSAGES).boxed().toList());

        restarted.endCleanly();
        IntStream.rangeClosed(MESSAGES + 1, MESSAGES + 10).forEach(i -> group.send(Integer.toString(i)));
        Path third = dir.resolve("third.txt");
        start(third);
        await().atMost(WAIT).until(() -> lines(third).size() >= 10);
        group.send("last");
        await().atMost(WAIT).until(() -> lines(third).contains("last"));
        List<String> expected = new ArrayList<>(IntStream.rangeClosed(MESSAGES + 1, MESSAGES + 10)
                .mapToObj(Integer::toString).toList());
        expected.add("last");
        assertThat(lines(third)).as("exactly once after a clean end").isEqualTo(expected);
    }

    /** A consumer process, started and live. */
    private Consumer start(Path out) throws IOException {
        ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), DurableConsumerMain.class.getName(),
                node.endpoint("grpc").toString(), HexFormat.of().formatHex(bob.privateKey()),
                dir.resolve("bob.db").toString(), out.toString());
        builder.redirectError(dir.resolve(out.getFileName() + ".err").toFile());
        Process process = builder.start();
        processes.add(process);
        Consumer consumer = new Consumer(process);
        assertThat(consumer.nextLine()).as("consumer process reports live").isEqualTo("LIVE");
        return consumer;
    }

    private static List<String> lines(Path file) throws IOException {
        if (!Files.exists(file)) {
            return List.of();
        }
        // the last line may be half written while the process runs: only whole lines count
        String text = Files.readString(file, StandardCharsets.UTF_8);
        int end = text.lastIndexOf('\n');
        return end < 0 ? List.of() : List.of(text.substring(0, end).split("\n"));
    }

    private static List<Integer> numbers(Path file) throws IOException {
        return lines(file).stream().map(Integer::valueOf).toList();
    }

    /** The test's side of a consumer process: its stdout lines and its stdin. */
    private static final class Consumer {
        private final Process process;
        private final BufferedReader stdout;

        Consumer(Process process) {
            this.process = process;
            this.stdout = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        }

        String nextLine() {
            CompletableFuture<String> line = CompletableFuture.supplyAsync(() -> {
                try {
                    return stdout.readLine();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
            return line.orTimeout(WAIT.toSeconds(), TimeUnit.SECONDS).join();
        }

        void endCleanly() throws IOException, InterruptedException {
            process.getOutputStream().write("end\n".getBytes(StandardCharsets.UTF_8));
            process.getOutputStream().flush();
            assertThat(nextLine()).isEqualTo("ENDED");
            assertThat(process.waitFor(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
            assertThat(process.exitValue()).isZero();
        }
    }
}
