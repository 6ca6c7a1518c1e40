package dev.parley.cli.crash;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * {@code parley node} in a separate JVM (the test's class path), its output kept for diagnostics.
 * {@link #kill} sends SIGKILL; {@link #close} kills it too, so nothing outlives a test.
 */
final class NodeProcess implements AutoCloseable {
    private static final String READY = "press Ctrl-C to stop";
    private static final int KEPT_LINES = 200;

    private final Process process;
    private final Thread reader;
    private final Deque<String> output = new ArrayDeque<>();
    private final CountDownLatch ready = new CountDownLatch(1);

    private NodeProcess(Process process) {
        this.process = process;
        this.reader = new Thread(this::read, "node-process-output-" + process.pid());
        reader.setDaemon(true);
        reader.start();
    }

    /** Starts {@code parley node ARGS} and returns at once. */
    static NodeProcess launch(String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"),
                "dev.parley.cli.ParleyCli", "node"));
        command.addAll(List.of(args));
        return new NodeProcess(new ProcessBuilder(command).redirectErrorStream(true).start());
    }

    /** Starts a node on {@code port} keeping its data in {@code dataDir}, and waits until it serves. */
    static NodeProcess start(Path dataDir, int port) throws IOException, InterruptedException {
        return startWith("--name", "crash", "--data-dir", dataDir.toString(), "--listen", "grpc://127.0.0.1:" + port);
    }

    /** Starts {@code parley node ARGS} and waits until it serves. */
    static NodeProcess startWith(String... args) throws IOException, InterruptedException {
        NodeProcess node = launch(args);
        if (!node.ready.await(30, TimeUnit.SECONDS)) {
            node.close();
            throw new AssertionError("node did not start within 30 s; output:\n" + node.output());
        }
        return node;
    }

    /** A loopback port free right now, for a node that must come back on the same one. */
    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    static URI endpoint(int port) {
        return URI.create("grpc://127.0.0.1:" + port);
    }

    long pid() {
        return process.pid();
    }

    /** SIGKILL (on Linux {@link Process#destroyForcibly} is SIGKILL); returns the exit code once it is gone. */
    int kill() throws InterruptedException {
        process.destroyForcibly();
        if (!process.waitFor(15, TimeUnit.SECONDS)) {
            throw new AssertionError("node process " + pid() + " still alive 15 s after SIGKILL");
        }
        reader.join(5_000);
        return process.exitValue();
    }

    /** Waits at most {@code seconds} for the process to exit by itself; its exit code, or -1 if it did not. */
    int awaitExit(long seconds) throws InterruptedException {
        if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
            return -1;
        }
        reader.join(5_000);
        return process.exitValue();
    }

    String output() {
        synchronized (output) {
            return String.join("\n", output);
        }
    }

    private void read() {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.UTF_8))) {
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                synchronized (output) {
                    output.addLast(line);
                    if (output.size() > KEPT_LINES) {
                        output.removeFirst();
                    }
                }
                if (line.contains(READY)) {
                    ready.countDown();
                }
            }
        } catch (IOException e) {
            // the process is gone
        }
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            kill();
        }
    }
}
