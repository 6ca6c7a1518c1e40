package dev.parley.node.internal.store;

import dev.parley.node.internal.log.NodeClock;
import dev.parley.spi.Envelope;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

class PackedEntriesTest {
    private final NodeClock clock = new NodeClock(new TestClock());
    private final SenderBytes bytes = new SenderBytes();

    @Test
    void everyFieldComesBackAsAddedWhateverTheKeysCharactersAndLength() {
        Random random = new Random(7);
        PackedEntries entries = new PackedEntries();
        int count = 20_000;
        String[] keys = new String[count];
        byte[][] payloads = new byte[count][];
        for (int i = 0; i < count; i++) {
            // mostly short keys, some longer than a chunk (a chunk of their own size)
            keys[i] = i % 991 == 0 ? "long-" + "x".repeat(20_000 + random.nextInt(5_000)) : randomKey(random, i);
            payloads[i] = new byte[i % 13 == 0 ? 0 : random.nextInt(300)];
            random.nextBytes(payloads[i]);
            entries.add(1_000L + i, payloads[i], keys[i], i * 31, "sender-" + (i % 3));
        }
        for (int i = 0; i < count; i++) {
            Envelope e = entries.envelope("conv/t", i + 1, i);
            assertThat(e.idempotencyKey()).isEqualTo(keys[i]);
            assertThat(e.payload()).isSameAs(payloads[i]);
            assertThat(e.timestampNs()).isEqualTo(1_000L + i);
            assertThat(e.senderInboxId()).isEqualTo("sender-" + (i % 3));
            assertThat(e.sequence()).isEqualTo(i + 1);
            assertThat(entries.payloadLength(i)).isEqualTo(payloads[i].length);
            assertThat(entries.keyTag(i)).isEqualTo(i * 31);
        }
    }

    @Test
    void removingTheOldestAndAddingMoreKeepsTheOthersInOrder() {
        PackedEntries entries = new PackedEntries();
        int next = 0;
        int oldest = 0;
        for (int round = 0; round < 50; round++) {
            for (int i = 0; i < 300; i++, next++) {
                entries.add(next, new byte[] {(byte) next}, "k" + next, next, "s");
            }
            for (int i = 0; i < 250; i++, oldest++) {
                entries.removeOldest();
            }
            assertThat(entries.size()).isEqualTo(next - oldest);
            for (int i = 0; i < entries.size(); i++) {
                assertThat(entries.key(i)).isEqualTo("k" + (oldest + i));
                assertThat(entries.timestampNs(i)).isEqualTo(oldest + i);
                assertThat(entries.keyTag(i)).isEqualTo(oldest + i);
            }
        }
    }

    @Test
    void entriesTrimmedToNothingAtASegmentsEndOrWithinOneTakeNewEntries() {
        for (int count : new int[] {PackedEntries.SEGMENT, 3, PackedEntries.SEGMENT + 5}) {
            PackedEntries entries = new PackedEntries();
            for (int i = 0; i < count; i++) {
                entries.add(i, new byte[] {1}, "k" + i, i, "s");
            }
            for (int i = 0; i < count; i++) {
                entries.removeOldest();
            }
            assertThat(entries.size()).isZero();
            byte[] payload = {2};
            entries.add(7, payload, "again", 9, "t");
            assertThat(entries.size()).isEqualTo(1);
            assertThat(entries.envelope("conv/t", 1025, 0))
                    .isEqualTo(new Envelope("conv/t", 1025, 7, payload, "again", "t"));
        }
    }

    @Test
    void onePayloadWrittenToManyTopicsIsHeldOnceByReference() {
        byte[] welcome = new byte[64 * 1024]; // one array for every member's topic, as the node writes a group's welcomes
        List<MemoryTopicLog> topics = new ArrayList<>();
        for (int member = 0; member < 100; member++) {
            MemoryTopicLog log = new MemoryTopicLog("welcome/m" + member);
            log.append(welcome, "welcome-g1", "node", clock, bytes);
            topics.add(log);
        }
        for (MemoryTopicLog log : topics) {
            assertThat(log.read(0, 10)).singleElement().satisfies(e -> assertThat(e.payload()).isSameAs(welcome));
            assertThat(log.append(new byte[1], "welcome-g1", "node", clock, bytes).envelope().payload()).isSameAs(welcome);
        }
        assertThat(bytes.of("node")).isEqualTo(100L * welcome.length); // accounted per topic, as before
    }

    @Test
    void aRetriedKeyWithCharactersBeyondLatin1AndLoneSurrogatesFindsItsEntryAndTrimmingTakesItsBytes() {
        MemoryTopicLog log = new MemoryTopicLog("conv/t");
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
