package dev.parley.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

class NodeCommandTest {
    @Test
    @Timeout(30)
    void unknownListenSchemeIsAClearErrorWithExitCode2() {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = new CommandLine(new ParleyCli());
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));

        int exitCode = cli.execute("node", "--name", "cli-test-bad", "--listen", "nosuch://127.0.0.1:0");

        assertThat(exitCode).isEqualTo(2);
        assertThat(err.toString()).contains("cannot start node 'cli-test-bad'", "nosuch");
    }

    @Test
    @Timeout(30)
    void runsUntilInterruptedAndPrintsItsEndpoints() throws Exception {
        CountDownLatch ready = new CountDownLatch(1);
        StringWriter out = new StringWriter() {
            @Override
            public void flush() {
                if (toString().contains("Ctrl-C")) {
                    ready.countDown();
                }
            }
        };
        CommandLine cli = new CommandLine(new ParleyCli());
        cli.setOut(new PrintWriter(out, true));
        AtomicInteger exitCode = new AtomicInteger(-1);
        Thread runner = new Thread(() -> exitCode.set(cli.execute("node", "--name", "cli-test")));
        runner.start();

        assertThat(ready.await(10, TimeUnit.SECONDS)).as("node started; output: %s", out).isTrue();
        assertThat(out.toString()).contains("node cli-test running", "inproc://cli-test");

        runner.interrupt();
        runner.join(10_000);
        assertThat(runner.isAlive()).isFalse();
        assertThat(exitCode.get()).isZero();
        assertThat(out.toString()).contains("node cli-test stopped");
    }
}
