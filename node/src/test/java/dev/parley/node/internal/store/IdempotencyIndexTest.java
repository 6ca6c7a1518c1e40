package dev.parley.node.internal.store;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

class IdempotencyIndexTest {
    private final TreeMap<Long, String> keysBySequence = new TreeMap<>();
    private final IdempotencyIndex index = new IdempotencyIndex(entriesOf(keysBySequence), 0x0123456789abcdefL, 0x7edcba9876543210L);

    /** A log's entries as a map from sequence to key: its first sequence the smallest. */
    static IdempotencyIndex.Entries entriesOf(TreeMap<Long, String> keys) {
        return new IdempotencyIndex.Entries() {
            @Override
            public long firstSequence() {
                return keys.firstKey();
            }

            @Override
            public String keyAt(long sequence) {
                return keys.get(sequence);
            }
        };
    }

    @Test
    void answersAsAPlainMapThroughAddsRetriesAndRemovals() {
        Map<String, Long> model = new LinkedHashMap<>();
        Random random = new Random(42);
        List<String> seen = new ArrayList<>();
        long sequence = 0;
        for (int op = 0; op < 200_000; op++) {
            int kind = random.nextInt(10);
            if (kind < 6 || seen.isEmpty()) { // a new key, or a retry of a seen one
                String key = kind < 5 || seen.isEmpty() ? "k" + random.nextInt(50_000) : seen.get(random.nextInt(seen.size()));
                long found = index.find(key, index.hash(key));
                assertThat(found).isEqualTo(model.getOrDefault(key, IdempotencyIndex.NONE));
                if (found == IdempotencyIndex.NONE) {
                    sequence++;
                    keysBySequence.put(sequence, key);
                    index.add(index.hash(key), sequence);
                    model.put(key, sequence);
                    seen.add(key);
                }
            } else if (kind < 8) { // trimmed oldest first, as a log does
                var oldest = model.entrySet().iterator();
                if (oldest.hasNext()) {
                    var gone = oldest.next();
                    oldest.remove();
                    index.remove(gone.getKey(), gone.getValue());
                    keysBySequence.headMap(gone.getValue(), true).clear(); // the log keeps what follows
                }
            } else { // removed anywhere
                String key = seen.get(random.nextInt(seen.size()));
                Long at = model.remove(key);
                if (at != null) {
                    index.remove(key, at);
                }
            }
            assertThat(index.size()).isEqualTo(model.size());
        }
        for (String key : seen) {
            assertThat(index.find(key, index.hash(key))).isEqualTo(model.getOrDefault(key, IdempotencyIndex.NONE));
        }
    }

    @Test
    void everyKeyStaysFoundAndProbesStayShortThroughGrowths() {
        List<String> keys = new ArrayList<>();
        for (long sequence = 1; sequence <= 1 << 17; sequence++) {
            String key = "key-" + sequence;
            keysBySequence.put(sequence, key);
            index.add(index.hash(key), sequence);
            keys.add(key);
            if (Long.bitCount(sequence) == 1) { // just after a growth, and before the next
                for (int i = 0; i < keys.size(); i++) {
                    assertThat(index.find(keys.get(i), index.hash(keys.get(i)))).isEqualTo(i + 1L);
                }
                assertThat(index.find("absent", index.hash("absent"))).isEqualTo(IdempotencyIndex.NONE);
                assertThat(index.longestProbe()).as("at " + sequence + " keys").isLessThan(64);
            }
        }
    }

    @Test
    void aRemovedKeyIsForgottenAndOthersOfItsRunStayFound() {
        for (long sequence = 1; sequence <= 1000; sequence++) {
            keysBySequence.put(sequence, "key-" + sequence);
            index.add(index.hash("key-" + sequence), sequence);
        }
        for (long sequence = 1; sequence <= 1000; sequence += 2) {
            index.remove("key-" + sequence, sequence);
        }
        for (long sequence = 1; sequence <= 1000; sequence++) {
            long expected = sequence % 2 == 1 ? IdempotencyIndex.NONE : sequence;
            assertThat(index.find("key-" + sequence, index.hash("key-" + sequence))).isEqualTo(expected);
        }
        assertThat(index.size()).isEqualTo(500);
    }

    @Test
    void keysOfOneStringHashCodeSpreadLikeAnyOthers() {
        // 2^16 keys that all have the same String.hashCode ("Aa" and "BB" collide): a flood for a table
        // that places keys by it; under the keyed hash their probes stay as short as random keys'
        List<String> hostile = new ArrayList<>();
        for (int bits = 0; bits < 1 << 16; bits++) {
            StringBuilder key = new StringBuilder();
            for (int i = 0; i < 16; i++) {
                key.append((bits >>> i & 1) == 0 ? "Aa" : "BB");
            }
            hostile.add(key.toString());
        }
        assertThat(hostile.stream().mapToInt(String::hashCode).distinct().count()).isEqualTo(1);
        long sequence = 0;
        for (String key : hostile) {
            keysBySequence.put(++sequence, key);
            index.add(index.hash(key), sequence);
        }
        for (int i = 0; i < hostile.size(); i++) {
            assertThat(index.find(hostile.get(i), index.hash(hostile.get(i)))).isEqualTo(i + 1L);
        }
        assertThat(index.longestProbe()).isLessThan(64);

        TreeMap<Long, String> randomKeys = new TreeMap<>();
        IdempotencyIndex random = new IdempotencyIndex(entriesOf(randomKeys), 0x0123456789abcdefL, 0x7edcba9876543210L);
        Random generator = new Random(7);
        for (long at = 1; at <= hostile.size(); at++) {
            String key = Long.toHexString(generator.nextLong());
            randomKeys.put(at, key);
            random.add(random.hash(key), at);
        }
        assertThat(index.longestProbe()).isLessThanOrEqualTo(2 * random.longestProbe() + 8);
    }

    @Test
    void sequencesPastTwoToTheThirtyTwoAreFoundWhole() {
        long start = (1L << 32) - 300;
        for (long sequence = start; sequence < start + 600; sequence++) {
            keysBySequence.put(sequence, "key-" + sequence);
            index.add(index.hash("key-" + sequence), sequence);
        }
        for (long sequence = start; sequence < start + 600; sequence++) {
            assertThat(index.find("key-" + sequence, index.hash("key-" + sequence))).isEqualTo(sequence);
        }
        index.remove("key-" + start, start);
        keysBySequence.remove(start);
        assertThat(index.find("key-" + start, index.hash("key-" + start))).isEqualTo(IdempotencyIndex.NONE);
        assertThat(index.find("key-" + (start + 599), index.hash("key-" + (start + 599)))).isEqualTo(start + 599);
    }

    @Test
    void differentSecretsHashDifferently() {
        IdempotencyIndex other = new IdempotencyIndex(entriesOf(keysBySequence), 1, 2);
        assertThat(other.hash("same key")).isNotEqualTo(index.hash("same key"));
        assertThat(index.hash("same key")).isEqualTo(index.hash(new String("same key")));
    }
}
