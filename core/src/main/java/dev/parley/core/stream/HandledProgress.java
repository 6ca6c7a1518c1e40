package dev.parley.core.stream;

import dev.parley.spi.Envelope;

import java.util.ArrayDeque;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Envelopes whose values the consumer has not handled yet, in delivery order. The plan hears
 * {@link StreamPlan#processed} for an envelope once its values and those of every envelope
 * delivered before it were handled: in push mode as soon as {@code onValue} returned, in pull mode
 * when the consumer moved past the value. So a durable cursor never passes a value that is still
 * being handled, and a crash redelivers at most what was in flight. Serial.
 */
final class HandledProgress {
    private final ArrayDeque<Mark> marks = new ArrayDeque<>();
    private final Processed processed;
    private Mark current;

    /** Where finished envelopes go, in order. */
    interface Processed {
        void processed(String topic, long sequence);
    }

    HandledProgress(Processed processed) {
        this.processed = processed;
    }

    /** The plan is about to handle {@code envelope}. */
    void begin(Envelope envelope) {
        current = new Mark(envelope.topic(), envelope.sequence());
        marks.add(current);
    }

    /** A value of the current envelope now waits for the consumer; the mark is what acknowledges it. */
    Mark awaiting() {
        current.awaiting++;
        return current;
    }

    /** The plan is done with the current envelope. */
    void end() {
        current = null;
        release();
    }

    /** Forgets every envelope not yet reported (their history is gone): late acknowledgements change nothing. */
    void forgetAll() {
        marks.clear();
        current = null;
    }

    /** The consumer moved past one value of each of these marks' envelopes. */
    void handled(Iterable<Mark> handled) {
        handled.forEach(mark -> mark.awaiting--);
        release();
    }

    /** Reports what is finished, once per topic: a sequence implies every one before it. */
    private void release() {
        Mark first = null;
        Map<String, Long> finished = null; // only when several finish at once (the usual case is one)
        while (!marks.isEmpty() && marks.peek() != current && marks.peek().awaiting == 0) {
            Mark done = marks.poll();
            if (first == null) {
                first = done;
            } else {
                if (finished == null) {
                    finished = new LinkedHashMap<>();
                    finished.put(first.topic, first.sequence);
                }
                finished.put(done.topic, done.sequence);
            }
        }
        if (finished != null) {
            finished.forEach(processed::processed);
        } else if (first != null) {
            processed.processed(first.topic, first.sequence);
        }
    }

    /** One envelope and how many of its values the consumer has yet to handle. */
    static final class Mark {
        private final String topic;
        private final long sequence;
        private int awaiting;

        private Mark(String topic, long sequence) {
            this.topic = topic;
            this.sequence = sequence;
        }
    }
}
