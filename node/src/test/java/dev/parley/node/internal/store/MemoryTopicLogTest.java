package dev.parley.node.internal.store;

import dev.parley.node.internal.log.NodeClock;
import dev.parley.node.store.Appended;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class MemoryTopicLogTest {
    private final MemoryTopicLog log = new MemoryTopicLog("conv/t");
    private final NodeClock clock = new NodeClock(new TestClock());
    private final SenderBytes bytes = new SenderBytes();

    @Test
    void aRetriedKeyIsAnsweredWithItsStoredEntryWhileItIsKept() {
        for (int i = 1; i <= 100_000; i++) {
            assertThat(log.append(new byte[] {1}, "key-" + i, "alice", clock, bytes).isNew()).isTrue();
        }
        Appended retry = log.append(new byte[] {2}, "key-777", "alice", clock, bytes);
        assertThat(retry.isNew()).isFalse();
        assertThat(retry.envelope().sequence()).isEqualTo(777);
        assertThat(retry.envelope().payload()).containsExactly(1);
        assertThat(log.lastSequence()).isEqualTo(100_000);
    }

    @Test
    void aTrimmedEntryTakesItsKeyWithItAndTheKeptOnesStayAnswered() {
        for (int i = 1; i <= 5000; i++) {
            log.append(new byte[] {1}, "key-" + i, "alice", clock, bytes);
        }
        assertThat(log.trim(Long.MIN_VALUE, 1000, bytes)).isEqualTo(4000);

        Appended kept = log.append(new byte[] {2}, "key-4001", "alice", clock, bytes);
        assertThat(kept.isNew()).isFalse();
        assertThat(kept.envelope().sequence()).isEqualTo(4001);
        Appended afterTrim = log.append(new byte[] {2}, "key-10", "alice", clock, bytes);
        assertThat(afterTrim.isNew()).isTrue(); // its entry is gone, so is its key (DESIGN §8)
        assertThat(afterTrim.envelope().sequence()).isEqualTo(5001);
        assertThat(log.append(new byte[] {3}, "key-10", "alice", clock, bytes).envelope().sequence()).isEqualTo(5001);
    }

    @Test
    void aRefusedOrEmptyDecisionIndexesNothing() {
        assertThat(log.appendDecided("k", "alice", clock, bytes, sequence -> null)).isNull();
        try {
            log.appendDecided("k", "alice", clock, bytes, sequence -> {
                throw new IllegalStateException("refused");
            });
        } catch (IllegalStateException expected) {
            // refused with what decide threw
        }
        Appended later = log.append(new byte[] {1}, "k", "alice", clock, bytes);
        assertThat(later.isNew()).isTrue();
        assertThat(later.envelope().sequence()).isEqualTo(1);
    }

    @Test
    void readsOfTheNewestAndOfOlderEntriesAgreeAcrossTrimsAndRetries() {
        int count = 3 * MemoryTopicLog.RECENT + 17;
        for (int i = 1; i <= count; i++) {
            log.append(new byte[] {(byte) i}, "key-" + i, i % 2 == 0 ? "alice" : "bob", clock, bytes);
            if (i % 100 == 0) {
                log.trim(Long.MIN_VALUE, 150, bytes);
            }
        }
        long first = log.firstRetained();
        assertThat(log.read(0, Integer.MAX_VALUE)).hasSize((int) (count - first + 1)).allSatisfy(e -> {
            assertThat(e.idempotencyKey()).isEqualTo("key-" + e.sequence());
            assertThat(e.payload()).containsExactly((byte) e.sequence());
            assertThat(e.senderInboxId()).isEqualTo(e.sequence() % 2 == 0 ? "alice" : "bob");
            assertThat(e.topic()).isEqualTo("conv/t");
        });
        assertThat(log.append(new byte[] {0}, "key-" + first, "alice", clock, bytes).envelope().sequence()).isEqualTo(first);
        assertThat(log.append(new byte[] {0}, "key-" + count, "bob", clock, bytes).envelope().payload())
                .containsExactly((byte) count);
        assertThat(log.append(new byte[] {0}, "key-" + (first - 1), "bob", clock, bytes).isNew()).isTrue();
    }
}
