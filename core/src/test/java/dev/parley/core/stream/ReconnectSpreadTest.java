package dev.parley.core.stream;

import dev.parley.StreamOptions;
import dev.parley.TransportException;
import dev.parley.core.stream.FakeClockRuntime.EventLog;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;

/** Many streams dropped at once (a node restart) do not all come back at the same instant. */
class ReconnectSpreadTest {
    @Test
    void theFirstRetriesSpreadOverTheSecondHalfOfThe250MillisecondWindow() {
        FakeClockRuntime net = new FakeClockRuntime(Duration.ofSeconds(15), new Random(7));
        List<EventLog> logs = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            EventLog log = new EventLog();
            net.start(StreamOptions.builder(), log);
            logs.add(log);
        }
        new ArrayList<>(net.transport.subscriptions).forEach(s -> s.breakWith(new TransportException("node restarted", true)));
        net.clock.forward(Duration.ofSeconds(1));
        TreeSet<Long> retriedAt = new TreeSet<>();
        for (EventLog log : logs) {
            assertThat(log.events).containsExactly("error", "retry:1/10", "restart");
            retriedAt.add(log.lastAt("retry:1/10"));
        }
        assertThat(retriedAt.first()).isGreaterThanOrEqualTo(125);
        assertThat(retriedAt.last()).isLessThanOrEqualTo(250);
        assertThat(retriedAt.last() - retriedAt.first()).as("spread in ms").isGreaterThan(90);
        assertThat(retriedAt).as("distinct retry instants of 50 streams").hasSizeGreaterThan(35);
    }
}
