package dev.parley.cli;

import dev.parley.Client;
import dev.parley.ClientOptions;
import dev.parley.Conversation;
import dev.parley.DecodedMessage;
import dev.parley.Group;
import dev.parley.Identity;
import dev.parley.LimitExceededException;
import dev.parley.MessageStream;
import dev.parley.StreamOptions;
import dev.parley.spi.node.NodeLimits;
import dev.parley.testing.TestCertificates;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

class NodeCommandTest {
    private static final Pattern EPOCH = Pattern.compile("; epoch ([0-9a-f-]+);");
    /** A metrics line of a node with alice's one connection over inproc and her two messages. */
    private static final Pattern METRICS = Pattern.compile(
            "^metrics: connections=1 \\{inproc=1} subscriptions=\\d+ publishes=2 \\(\\d+\\.\\d/s\\) .*$", Pattern.MULTILINE);
    private static final Pattern GRPC_ENDPOINT = Pattern.compile("^  (grpc://127\\.0\\.0\\.1:(\\d+))$", Pattern.MULTILINE);

    @ParameterizedTest
    @ValueSource(strings = {"nosuch://127.0.0.1:0", "carrier-pigeon://127.0.0.1:0"})
    @Timeout(30)
    void unknownListenSchemeIsAClearErrorWithExitCode2(String listen) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = new CommandLine(new ParleyCli());
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));

        int exitCode = cli.execute("node", "--name", "cli-test-bad", "--in-memory", "--listen", listen);

        String scheme = URI.create(listen).getScheme();
        assertThat(exitCode).isEqualTo(2);
        assertThat(err.toString()).contains("cannot start node 'cli-test-bad'", "no node endpoint for scheme '" + scheme + "'");
        assertThat(out.toString()).doesNotContain("running");
    }

    @Test
    @Timeout(30)
    void twoListenAddressesOfOneSchemeAreAClearErrorWithExitCode2() {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = new CommandLine(new ParleyCli());
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));

        int exitCode = cli.execute("node", "--name", "cli-test-twice", "--in-memory",
                "--listen", "grpc://127.0.0.1:0", "--listen", "grpc://127.0.0.1:0");

        assertThat(exitCode).isEqualTo(2);
        assertThat(err.toString()).contains("cannot start node 'cli-test-twice'", "more than one --listen for grpc://");
        assertThat(out.toString()).doesNotContain("running");
    }

    @Test
    @Timeout(30)
    void aPortInUseIsAClearErrorWithExitCode2() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            StringWriter err = new StringWriter();
            CommandLine cli = new CommandLine(new ParleyCli());
            cli.setOut(new PrintWriter(new StringWriter(), true));
            cli.setErr(new PrintWriter(err, true));

            int exitCode = cli.execute("node", "--name", "cli-test-busy", "--in-memory",
                    "--listen", "grpc://127.0.0.1:" + taken.getLocalPort());

            assertThat(exitCode).isEqualTo(2);
            assertThat(err.toString()).contains("cannot start node 'cli-test-busy'", "cannot listen on grpc://127.0.0.1:");
        }
    }

    @Test
    @Timeout(30)
    void runsUntilInterruptedAndPrintsItsEndpoints() throws Exception {
        RunningNode node = RunningNode.start("node", "--name", "cli-test", "--in-memory");
        assertThat(node.output()).contains("node cli-test running; data in memory only", "inproc://cli-test");

        node.stop();
        assertThat(node.output()).contains("node cli-test stopped");
    }

    @Test
    @Timeout(60)
    void servesGrpcToRealClientsAndTellsThemWhenItStops() throws Exception {
        RunningNode node = RunningNode.start("node", "--name", "cli-test-grpc", "--store", "memory:",
                "--listen", "grpc://127.0.0.1:0");
        Matcher printed = GRPC_ENDPOINT.matcher(node.output());
        assertThat(printed.find()).as("a grpc endpoint with its bound port; output:%n%s", node.output()).isTrue();
        assertThat(Integer.parseInt(printed.group(2))).isPositive();
        URI endpoint = URI.create(printed.group(1));
        assertThat(node.output()).contains("inproc://cli-test-grpc");

        List<Throwable> errors = new CopyOnWriteArrayList<>();
        CountDownLatch bobSawError = new CountDownLatch(1);
        CountDownLatch bobRetried = new CountDownLatch(1);
        Client bob = connect(endpoint);
        MessageStream<DecodedMessage> bobsStream = bob.conversations().streamAllMessages(
                StreamOptions.<DecodedMessage>builder()
                        .retryDelay(Duration.ofMillis(100))
                        .onError(e -> {
                            errors.add(e);
                            bobSawError.countDown();
                        })
                        .onRetry((attempt, max) -> bobRetried.countDown())
                        .build());
        try {
            try (Client alice = connect(endpoint)) {
                Group group = alice.conversations().newGroup(List.of(bob.inboxId()), "over grpc");
                String sent = group.send("hello over grpc");

                Conversation stored = alice.conversations().getConversationById(group.id()).orElseThrow();
                assertThat(stored.messages()).extracting(DecodedMessage::id).contains(sent);
                assertThat(stored.messages()).extracting(DecodedMessage::content).contains("hello over grpc");

                // and it really went through the node: bob, another client, gets it from there
                bob.conversations().sync();
                assertThat(bob.conversations().getConversationById(group.id()).orElseThrow().messages())
                        .extracting(DecodedMessage::content).containsExactly("hello over grpc");
            }

            node.stop();
            assertThat(node.output()).contains("node cli-test-grpc stopped");

            // the node went away with bob still connected: his stream hears of it and retries
            assertThat(bobSawError.await(15, TimeUnit.SECONDS)).as("bob's stream saw the node go").isTrue();
            assertThat(bobRetried.await(15, TimeUnit.SECONDS)).as("bob's stream retries; errors: %s", errors).isTrue();
        } finally {
            bobsStream.close();
            bob.close();
        }
    }

    @Test
    @Timeout(60)
    void servesGrpcsAndWssWithTheCertificateItIsGiven(@TempDir Path dir) throws Exception {
        TestCertificates.Authority ca = TestCertificates.authority("cli test CA");
        Path files = ca.issue("127.0.0.1", "localhost").writeTo(dir);
        RunningNode node = RunningNode.start("node", "--name", "cli-test-tls", "--in-memory",
                "--tls-cert", files.resolve("cert.pem").toString(), "--tls-key", files.resolve("key.pem").toString(),
                "--listen", "grpcs://127.0.0.1:0", "--listen", "wss://127.0.0.1:0");
        try {
            for (String scheme : List.of("grpcs", "wss")) {
                Matcher printed = Pattern.compile("^  (" + scheme + "://127\\.0\\.0\\.1:\\d+)$", Pattern.MULTILINE)
                        .matcher(node.output());
                assertThat(printed.find()).as("a %s endpoint; output:%n%s", scheme, node.output()).isTrue();
                Identity bob = Identity.generate();
                try (Client alice = Client.create(ClientOptions.builder().endpoint(printed.group(1))
                        .identity(Identity.generate()).trustStore(ca.trustStore()).build());
                     Client bobClient = Client.create(ClientOptions.builder().endpoint(printed.group(1)).identity(bob)
                             .trustStore(ca.trustStore()).build())) {
                    Group group = alice.conversations().newGroup(List.of(bob.inboxId()), "over " + scheme);
                    group.send("hello over " + scheme);
                    bobClient.conversations().sync();
                    assertThat(bobClient.conversations().getConversationById(group.id()).orElseThrow().messages())
                            .extracting(DecodedMessage::content).containsExactly("hello over " + scheme);
                }
            }
        } finally {
            node.stop();
        }
    }

    @Test
    @Timeout(30)
    void aTlsListenAddressWithoutACertificateIsAClearErrorWithExitCode2() {
        Result result = run("node", "--name", "cli-test-no-cert", "--in-memory", "--listen", "grpcs://127.0.0.1:0");
        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err()).contains("cannot start node 'cli-test-no-cert'", "--tls-cert");
    }

    @Test
    @Timeout(30)
    void aTlsCertificateWithoutItsKeyIsRefused(@TempDir Path dir) {
        Path files = TestCertificates.authority("cli test CA").issue("127.0.0.1").writeTo(dir);
        Result result = run("node", "--name", "cli-test-half-tls", "--in-memory",
                "--tls-cert", files.resolve("cert.pem").toString(), "--listen", "wss://127.0.0.1:0");
        assertThat(result.exitCode()).isNotZero();
        assertThat(result.err()).contains("--tls-key");
    }

    @Test
    @Timeout(60)
    void keepsItsDataInTheDataDirectoryAcrossRestarts(@TempDir Path dir) throws Exception {
        Path data = dir.resolve("data");
        RunningNode first = RunningNode.start("node", "--name", "cli-test-data", "--data-dir", data.toString());
        Matcher epoch = EPOCH.matcher(first.output());
        assertThat(epoch.find()).as("output: %s", first.output()).isTrue();
        assertThat(first.output()).contains("data in " + data.toAbsolutePath());
        assertThat(data.resolve("parley-node.db")).isRegularFile();

        Result second = run("node", "--name", "cli-test-data-2", "--data-dir", data.toString());
        assertThat(second.exitCode()).isEqualTo(2);
        assertThat(second.err()).contains("cannot start node 'cli-test-data-2'", data.toAbsolutePath().toString());
        first.stop();

        RunningNode again = RunningNode.start("node", "--name", "cli-test-data", "--store", "sqlite:" + data.toAbsolutePath(),
                "--retention-age", "7d", "--retention-count", "1000");
        assertThat(again.output()).contains("epoch " + epoch.group(1));
        again.stop();
    }

    @Test
    void keepsItsDataInParleyDataByDefault() {
        NodeCommand command = new NodeCommand();
        new CommandLine(command).parseArgs("--name", "x");
        assertThat(command.describeStore()).isEqualTo("data in " + Path.of("parley-data").toAbsolutePath());
    }

    @ParameterizedTest
    @ValueSource(strings = {"--in-memory --data-dir d", "--store memory: --in-memory", "--data-dir d --store sqlite:d"})
    void storeOptionsAreMutuallyExclusive(String options) {
        List<String> args = new java.util.ArrayList<>(List.of("node", "--name", "cli-test-exclusive"));
        args.addAll(List.of(options.split(" ")));

        Result result = run(args.toArray(String[]::new));

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err()).contains("mutually exclusive");
        assertThat(result.out()).doesNotContain("running");
    }

    @ParameterizedTest
    @ValueSource(strings = {"--retention-age soon", "--retention-age 0d", "--retention-age -PT1H", "--retention-count 0",
            "--retention-count many"})
    void badRetentionIsAClearErrorWithExitCode2(String options) {
        List<String> args = new java.util.ArrayList<>(List.of("node", "--name", "cli-test-retention", "--in-memory"));
        args.addAll(List.of(options.split(" ")));

        Result result = run(args.toArray(String[]::new));

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err()).containsAnyOf("--retention-age", "--retention-count", "retention count");
        assertThat(result.out()).doesNotContain("running");
    }

    @Test
    void readsPositiveDurations() {
        PositiveDuration age = new PositiveDuration();
        assertThat(age.convert("7d")).isEqualTo(Duration.ofDays(7));
        assertThat(age.convert("12h")).isEqualTo(Duration.ofHours(12));
        assertThat(age.convert("30m")).isEqualTo(Duration.ofMinutes(30));
        assertThat(age.convert("90s")).isEqualTo(Duration.ofSeconds(90));
        assertThat(age.convert("PT12H")).isEqualTo(Duration.ofHours(12));
        assertThat(age.convert("P7D")).isEqualTo(Duration.ofDays(7));
    }

    @Test
    @Timeout(60)
    void limitsAreSetByNameAndTheNodeEnforcesThem() throws Exception {
        RunningNode node = RunningNode.start("node", "--name", "cli-test-limits", "--in-memory",
                "--listen", "grpc://127.0.0.1:0", "--limit", "maxSessionsPerInbox=1",
                "--limit", "maxStoredBytesPerInbox=4KiB", "--limit", "conversationsPerInboxPerMinute=1_000");
        try {
            assertThat(node.output()).contains("maxSessionsPerInbox=1,", "maxStoredBytesPerInbox=4096,",
                    "conversationsPerInboxPerMinute=1000,", "maxSubscriptionsPerSession=256,");
            Matcher printed = GRPC_ENDPOINT.matcher(node.output());
            assertThat(printed.find()).isTrue();
            Identity alice = Identity.generate();
            try (Client first = connect(URI.create(printed.group(1)), alice)) {
                assertThatThrownBy(() -> connect(URI.create(printed.group(1)), alice))
                        .isInstanceOfSatisfying(LimitExceededException.class,
                                e -> assertThat(e.limit()).isEqualTo("maxSessionsPerInbox"));
                Group group = first.conversations().newGroup(List.of());
                group.send("x".repeat(3_000)); // text travels once: about 3 KB of the 4 KiB
                assertThatThrownBy(() -> group.send("x".repeat(1_500)))
                        .isInstanceOfSatisfying(LimitExceededException.class,
                                e -> assertThat(e.limit()).isEqualTo("maxStoredBytesPerInbox"));
            }
        } finally {
            node.stop();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"maxSessionsPerInbox", "maxSessionsPerInbox=0", "maxSessionsPerInbox=many",
            "noSuchLimit=3", "maxStoredBytesPerInbox=12 parsecs", "maxMembersPerConversation=1",
            "preAuthenticationTimeout=soon", "maxOutboundBytesPerConnection=1KiB"})
    void badLimitsAreAClearErrorWithExitCode2(String setting) {
        Result result = run("node", "--name", "cli-test-bad-limit", "--in-memory", "--limit", setting);

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err()).contains("--limit");
        assertThat(result.out()).doesNotContain("running");
    }

    @Test
    @Timeout(60)
    void printsTheNodesFiguresEveryMetricsInterval() throws Exception {
        RunningNode node = RunningNode.start("node", "--name", "cli-test-metrics", "--in-memory",
                "--metrics-interval", "1s");
        try (Client alice = connect(URI.create("inproc://cli-test-metrics"))) {
            Group group = alice.conversations().newGroup(List.of(), "figures");
            group.send("one");
            group.send("two");
            await().atMost(Duration.ofSeconds(10)).until(() -> METRICS.matcher(node.output()).find());
        } finally {
            node.stop();
        }
        Matcher line = METRICS.matcher(node.output());
        assertThat(line.find()).isTrue();
        assertThat(line.group()).contains("store-append p50=");
    }

    @Test
    void theHelpListsEveryLimitWithItsDefault() {
        Result help = run("node", "--help");
        assertThat(help.out().replaceAll("\\s+", " "))
                .contains(LimitSetting.describe(NodeLimits.DEFAULTS).replaceAll("\\s+", " "));
    }

    private record Result(int exitCode, String out, String err) {
    }

    private static Result run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = new CommandLine(new ParleyCli());
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        int exitCode = cli.execute(args);
        return new Result(exitCode, out.toString(), err.toString());
    }

    private static Client connect(URI endpoint) {
        return connect(endpoint, Identity.generate());
    }

    private static Client connect(URI endpoint, Identity identity) {
        return Client.create(ClientOptions.builder()
                .endpoint(endpoint)
                .identity(identity)
                .requestTimeout(Duration.ofSeconds(10))
                .build());
    }

    /** {@code parley node ...} on a thread, as a user would run it, stopped by an interrupt (as Ctrl-C would). */
    private static final class RunningNode {
        private final StringWriter out;
        private final Thread runner;
        private final AtomicInteger exitCode;

        private RunningNode(StringWriter out, Thread runner, AtomicInteger exitCode) {
            this.out = out;
            this.runner = runner;
            this.exitCode = exitCode;
        }

        static RunningNode start(String... args) throws InterruptedException {
            CountDownLatch ready = new CountDownLatch(1);
            StringWriter out = new StringWriter() {
                @Override
                public void flush() {
                    if (toString().contains("Ctrl-C")) {
                        ready.countDown();
                    }
                }
            };
            StringWriter err = new StringWriter();
            CommandLine cli = new CommandLine(new ParleyCli());
            cli.setOut(new PrintWriter(out, true));
            cli.setErr(new PrintWriter(err, true));
            AtomicInteger exitCode = new AtomicInteger(-1);
            Thread runner = new Thread(() -> exitCode.set(cli.execute(args)), "parley-node-under-test");
            runner.start();
            assertThat(ready.await(15, TimeUnit.SECONDS)).as("node started; output: %s errors: %s", out, err).isTrue();
            return new RunningNode(out, runner, exitCode);
        }

        String output() {
            synchronized (out) {
                return out.toString();
            }
        }

        void stop() throws InterruptedException {
            runner.interrupt();
            runner.join(15_000);
            assertThat(runner.isAlive()).as("node thread ended; output: %s", output()).isFalse();
            assertThat(exitCode.get()).isZero();
        }
    }
}
