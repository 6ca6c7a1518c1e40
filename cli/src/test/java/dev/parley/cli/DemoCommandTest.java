package dev.parley.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;

import static org.assertj.core.api.Assertions.assertThat;

class DemoCommandTest {
    @Test
    @Timeout(60)
    void demoLosesAndDuplicatesNothingAcrossADroppedConnection() {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = new CommandLine(new ParleyCli());
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));

        int exitCode = cli.execute("demo");

        String story = out.toString();
        assertThat(exitCode).as("exit code; output:%n%s%nerrors:%n%s", story, err).isZero();
        assertThat(story)
                .contains("[bob] sees new group", "[bob] sees new dm", "dropConnections(bob)")
                .contains("[bob] onError(", "[bob] onRetry(1/10)", "[bob] onRestart()", "[bob] onEnd()")
                .containsPattern("group messages sent:\\s+10")
                .containsPattern("received by bob's stream:\\s+10")
                .containsPattern("duplicates:\\s+0")
                .containsPattern("lost:\\s+0")
                .containsPattern("spam messages blocked:\\s+3 of 3")
                .contains("result: OK");
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
}
