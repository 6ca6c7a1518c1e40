package dev.parley.node.internal.store;

import dev.parley.node.internal.log.NodeClock;
import dev.parley.spi.Envelope;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

class LogEntriesTest {
    private final MemoryTopicLog log = new MemoryTopicLog("conv/t");
    private final NodeClock clock = new NodeClock(new TestClock());
    private final SenderBytes bytes = new SenderBytes();

    @Test
    void everyFieldComesBackAsAppendedWhateverTheKeysCharactersAndThePayloadsSize() {
        Random random = new Random(7);
        LogEntries entries = new LogEntries();
        int count = 20_000;
        String[] keys = new String[count];
        byte[][] payloads = new byte[count][];
        for (int i = 0; i < count; i++) {
            keys[i] = randomKey(random, i);
            // mostly small, some larger than a chunk's quarter (a chunk of their own), some empty
            int size = i % 997 == 0 ? 70_000 + random.nextInt(300_000) : i % 13 == 0 ? 0 : random.nextInt(300);
            payloads[i] = new byte[size];
            random.nextBytes(payloads[i]);
            entries.add(1_000L + i, payloads[i], keys[i], "sender-" + (i % 3));
        }
        for (int i = 0; i < count; i++) {
            Envelope e = entries.envelope("conv/t", i + 1, i);
            assertThat(e.idempotencyKey()).isEqualTo(keys[i]);
            assertThat(e.payload()).isEqualTo(payloads[i]);
            assertThat(e.timestampNs()).isEqualTo(1_000L + i);
            assertThat(e.senderInboxId()).isEqualTo("sender-" + (i % 3));
            assertThat(e.sequence()).isEqualTo(i + 1);
            assertThat(entries.payloadLength(i)).isEqualTo(payloads[i].length);
        }
    }

    @Test
    void removingTheOldestAndAddingMoreKeepsTheOthersInOrder() {
        LogEntries entries = new LogEntries();
        int next = 0;
        int oldest = 0;
        for (int round = 0; round < 50; round++) {
            for (int i = 0; i < 300; i++, next++) {
                entries.add(next, new byte[] {(byte) next}, "k" + next, "s");
            }
            for (int i = 0; i < 250; i++, oldest++) {
                entries.removeOldest();
            }
            assertThat(entries.size()).isEqualTo(next - oldest);
            for (int i = 0; i < entries.size(); i++) {
                assertThat(entries.key(i)).isEqualTo("k" + (oldest + i));
                assertThat(entries.timestampNs(i)).isEqualTo(oldest + i);
            }
        }
    }

    @Test
    void aLogTrimmedToNothingAtASegmentsEndTakesNewEntries() {
        LogEntries entries = new LogEntries();
        for (int i = 0; i < LogEntries.SEGMENT; i++) {
            entries.add(i, new byte[] {1}, "k" + i, "s");
        }
        for (int i = 0; i < LogEntries.SEGMENT; i++) {
            entries.removeOldest();
        }
        assertThat(entries.size()).isZero();
        entries.add(7, new byte[] {2}, "again", "t");
        assertThat(entries.size()).isEqualTo(1);
        Envelope read = entries.envelope("conv/t", 1025, 0);
        assertThat(read.payload()).containsExactly(2);
        assertThat(read).isEqualTo(new Envelope("conv/t", 1025, 7, read.payload(), "again", "t"));
    }

    @Test
    void theLogKeepsItsOwnCopyOfAPayloadSoACallerReusingItsArrayCannotRewriteIt() {
        byte[] buffer = {1, 2, 3};
        log.append(buffer, "k1", "alice", clock, bytes);
        buffer[0] = 9; // the caller reuses its array for the next message
        log.append(buffer, "k2", "alice", clock, bytes);

        List<Envelope> read = log.read(0, 10);
        assertThat(read).extracting(Envelope::sequence).containsExactly(1L, 2L);
        assertThat(read.get(0).payload()).containsExactly(1, 2, 3);
        assertThat(read.get(1).payload()).containsExactly(9, 2, 3);
        read.get(1).payload()[1] = 7; // nor a reader, its copy
        assertThat(log.read(1, 1).get(0).payload()).containsExactly(9, 2, 3);
    }

    @Test
    void aRetriedKeyWithCharactersBeyondLatin1AndLoneSurrogatesFindsItsEntryAndTrimmingTakesItsBytes() {
        String odd = "k\uD800-\u20AC-\u00E9"; // a lone high surrogate, a euro sign, an e acute
        log.append(new byte[5], odd, "alice", clock, bytes);
        log.append(new byte[7], "k\u00E9", "bob", clock, bytes);
        assertThat(log.append(new byte[1], odd, "alice", clock, bytes).envelope().sequence()).isEqualTo(1);
        assertThat(log.read(0, 10).get(0).idempotencyKey()).isEqualTo(odd);
        assertThat(bytes.of("alice")).isEqualTo(5);

        assertThat(log.trim(Long.MIN_VALUE, 1, bytes)).isEqualTo(1);
        assertThat(bytes.of("alice")).isZero();
        assertThat(bytes.of("bob")).isEqualTo(7);
        assertThat(log.firstRetained()).isEqualTo(2);
        assertThat(log.append(new byte[1], odd, "alice", clock, bytes).envelope().sequence()).isEqualTo(3);
        assertThat(log.append(new byte[1], "k\u00E9", "bob", clock, bytes).envelope().sequence()).isEqualTo(2);
    }

    private static String randomKey(Random random, int i) {
        StringBuilder key = new StringBuilder("k").append(i).append('-');
        int length = random.nextInt(12);
        for (int c = 0; c < length; c++) {
            key.append(switch (random.nextInt(4)) {
                case 0 -> (char) ('a' + random.nextInt(26));
                case 1 -> (char) (0x80 + random.nextInt(0x80)); // Latin-1, above ASCII
                case 2 -> (char) (0x100 + random.nextInt(0xD700)); // beyond Latin-1
                default -> (char) (0xD800 + random.nextInt(0x800)); // surrogates, paired or not
            });
        }
        return key.toString();
    }
}
