package dev.parley.core.stream;

import dev.parley.spi.Envelope;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class HandledProgressTest {
    private final List<String> processed = new ArrayList<>();
    private final HandledProgress progress = new HandledProgress((topic, sequence) -> processed.add(topic + "#" + sequence));

    @Test
    void anEnvelopeWhoseValuesWereHandledAtOnceIsProcessedWhenThePlanIsDoneWithIt() {
        progress.begin(envelope("a", 1));
        assertThat(processed).isEmpty();
        progress.end();
        progress.begin(envelope("a", 2));
        progress.end();
        assertThat(processed).containsExactly("a#1", "a#2");
    }

    @Test
    void waitingValuesHoldBackEveryLaterEnvelopeAndAreReportedOncePerTopicInOrder() {
        progress.begin(envelope("a", 1));
        HandledProgress.Mark a1 = progress.awaiting();
        progress.end();
        progress.begin(envelope("b", 7));
        HandledProgress.Mark b7 = progress.awaiting();
        progress.end();
        progress.begin(envelope("a", 2));
        progress.end();
        progress.begin(envelope("b", 8));
        HandledProgress.Mark b8 = progress.awaiting();
        progress.end();
        assertThat(processed).isEmpty();

        progress.handled(List.of(b7));
        assertThat(processed).as("a#1 still waits").isEmpty();
        progress.handled(List.of(a1));
        assertThat(processed).containsExactly("a#2", "b#7");
        progress.handled(List.of(b8));
        assertThat(processed).containsExactly("a#2", "b#7", "b#8");
    }

    @Test
    void forgottenEnvelopesAreNeverReported() {
        progress.begin(envelope("a", 1));
        HandledProgress.Mark a1 = progress.awaiting();
        progress.end();
        progress.forgetAll();
        progress.handled(List.of(a1));
        assertThat(processed).isEmpty();
    }

    private static Envelope envelope(String topic, long sequence) {
        return new Envelope(topic, sequence, 0, new byte[0], "k", "s");
    }
}
