package dev.parley.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;

import static org.assertj.core.api.Assertions.assertThat;

class DemoCommandTest {
    @ParameterizedTest(name = "parley {0}")
    @CsvSource(delimiter = '|', value = {
        // the default is grpc: bob goes through a fault proxy that resets his TCP connection
        "demo                     | grpc://127.0.0.1:  | [net] resetting bob's TCP connection",
        "demo --transport grpc    | grpc://127.0.0.1:  | [net] resetting bob's TCP connection",
        "demo --transport ws      | ws://127.0.0.1:    | [net] resetting bob's TCP connection",
        "demo --transport inproc  | inproc://demo      | [node] dropConnections(bob)",
    })
    @Timeout(60)
    void demoLosesAndDuplicatesNothingAcrossADroppedConnection(String command, String endpoint, String fault) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = new CommandLine(new ParleyCli());
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));

        int exitCode = cli.execute(command.split(" +"));

        String story = out.toString();
        assertThat(exitCode).as("exit code; output:%n%s%nerrors:%n%s", story, err).isZero();
        assertThat(story)
                .as("output:%n%s", story)
                .contains("[node] started; serving " + endpoint, "[bob] connected to ", fault)
                .contains("[bob] sees new group", "[bob] sees new dm")
                .contains("[bob] onError(", "[bob] onRetry(1/10)", "[bob] onRestart()", "[bob] onEnd()")
                .containsPattern("group messages sent:\\s+10\\n")
                .containsPattern("received by bob's stream:\\s+10\\n")
                .containsPattern("duplicates:\\s+0\\n")
                .containsPattern("lost:\\s+0\\n")
                .containsPattern("spam messages blocked:\\s+3 of 3")
                .contains("result: OK");
        // the restart comes after the fault, and bob's messages after the restart
        assertThat(story.indexOf("[bob] onRestart()")).isGreaterThan(story.indexOf(fault));
        assertThat(err.toString()).as("errors").isEmpty();
    }

    @Test
    @Timeout(60)
    void overGrpcBobGoesThroughTheFaultProxyAndAliceAndCarolDoNot() {
        StringWriter out = new StringWriter();
        CommandLine cli = new CommandLine(new ParleyCli());
        cli.setOut(new PrintWriter(out, true));

        assertThat(cli.execute("demo", "--messages", "1", "--spam", "0")).as(out.toString()).isZero();
        String story = out.toString();
        assertThat(story)
                .containsPattern("\\[bob\\] connected to grpc://127\\.0\\.0\\.1:\\d+ \\(the fault proxy\\)")
                .containsPattern("\\[alice\\] connected to grpc://127\\.0\\.0\\.1:\\d+, inbox")
                .containsPattern("\\[carol\\] connected to grpc://127\\.0\\.0\\.1:\\d+, inbox")
                .contains("[bob] onRestart()", "closing clients, proxy and node");
    }

    @Test
    @Timeout(60)
    void messagesOptionSetsHowManyEachSenderSends() {
        StringWriter out = new StringWriter();
        CommandLine cli = new CommandLine(new ParleyCli());
        cli.setOut(new PrintWriter(out, true));

        assertThat(cli.execute("demo", "--messages", "2", "--spam", "1")).as(out.toString()).isZero();
        assertThat(out.toString())
                .containsPattern("group messages sent:\\s+4")
                .containsPattern("lost:\\s+0")
                .containsPattern("spam messages blocked:\\s+1 of 1");
    }

    @Test
    void rejectsAnEmptyDemo() {
        StringWriter err = new StringWriter();
        CommandLine cli = new CommandLine(new ParleyCli());
        cli.setErr(new PrintWriter(err, true));

        assertThat(cli.execute("demo", "--messages", "0")).isEqualTo(2);
        assertThat(err.toString()).contains("--messages must be at least 1");
    }

    @Test
    void rejectsAnUnknownTransport() {
        StringWriter err = new StringWriter();
        CommandLine cli = new CommandLine(new ParleyCli());
        cli.setErr(new PrintWriter(err, true));

        assertThat(cli.execute("demo", "--transport", "carrier-pigeon")).isEqualTo(2);
        assertThat(err.toString()).contains("--transport", "carrier-pigeon", "grpc", "inproc");
    }
}
