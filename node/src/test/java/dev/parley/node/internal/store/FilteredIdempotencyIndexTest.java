package dev.parley.node.internal.store;

import org.junit.jupiter.api.Test;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/** The index past {@link IdempotencyIndex#FILTERED_FROM} slots: a filter and staged keys in front of its table. */
class FilteredIdempotencyIndexTest {
    private static final int MANY = IdempotencyIndex.FILTERED_FROM; // twice what fills the first filtered table half
    private final TreeMap<Long, String> keysBySequence = new TreeMap<>();
    private final IdempotencyIndex index = new IdempotencyIndex(IdempotencyIndexTest.entriesOf(keysBySequence),
            0x0123456789abcdefL, 0x7edcba9876543210L);

    private void append(long sequence, String key) {
        keysBySequence.put(sequence, key);
        index.add(index.hash(key), sequence);
    }

    private long find(String key) {
        return index.find(key, index.hash(key));
    }

    @Test
    void neverAnswersNewForAKeyItHoldsWhileStagingAndGrowing() {
        for (long sequence = 1; sequence <= 3L * MANY; sequence++) {
            append(sequence, "key-" + sequence);
            // each key found at once (staged), and the ones that went into the table with the last batch
            assertThat(find("key-" + sequence)).isEqualTo(sequence);
            if (sequence % IdempotencyIndex.STAGED == 0 || sequence % 7919 == 0) {
                for (long earlier = Math.max(1, sequence - 2L * IdempotencyIndex.STAGED); earlier <= sequence; earlier++) {
                    assertThat(find("key-" + earlier)).isEqualTo(earlier);
                }
            }
        }
        for (long sequence = 1; sequence <= 3L * MANY; sequence++) {
            assertThat(find("key-" + sequence)).as("key-" + sequence).isEqualTo(sequence);
        }
        for (int i = 0; i < 10_000; i++) {
            assertThat(find("absent-" + i)).isEqualTo(IdempotencyIndex.NONE);
        }
        assertThat(index.size()).isEqualTo(3 * MANY);
    }

    @Test
    void trimmedKeysAreForgottenAndRetainedOnesStayFoundPastRebuilds() {
        Deque<Long> retained = new ArrayDeque<>();
        long sequence = 0;
        int keep = MANY / 2 + 1000; // a table past the filter's threshold, trimmed oldest first as retention does
        for (int round = 0; round < 6 * MANY; round++) { // past several rebuilds (one per an eighth of the slots removed)
            append(++sequence, "key-" + sequence);
            retained.addLast(sequence);
            if (retained.size() > keep) {
                long gone = retained.removeFirst();
                index.remove("key-" + gone, gone);
                keysBySequence.remove(gone);
                assertThat(find("key-" + gone)).isEqualTo(IdempotencyIndex.NONE);
            }
        }
        assertThat(index.size()).isEqualTo(keep);
        for (long kept : retained) {
            assertThat(find("key-" + kept)).isEqualTo(kept);
        }
        for (long gone = 1; gone <= sequence - keep; gone += 97) {
            assertThat(find("key-" + gone)).isEqualTo(IdempotencyIndex.NONE);
        }
    }

    @Test
    void aStagedKeyRemovedBeforeItReachedTheTableIsForgotten() {
        for (long sequence = 1; sequence <= MANY; sequence++) {
            append(sequence, "key-" + sequence);
        }
        long staged = MANY + 1;
        append(staged, "fresh");
        index.remove("fresh", staged);
        assertThat(find("fresh")).isEqualTo(IdempotencyIndex.NONE);
        assertThat(index.size()).isEqualTo(MANY);
        for (long sequence = MANY + 2; sequence <= MANY + 2L * IdempotencyIndex.STAGED; sequence++) {
            append(sequence, "key-" + sequence); // through the next move into the table
        }
        assertThat(find("fresh")).isEqualTo(IdempotencyIndex.NONE);
        assertThat(find("key-" + (MANY + 2))).isEqualTo(MANY + 2L);
    }

    @Test
    void keysOfOneHashAreToldApartByTheirKeys() {
        // every key the same hash: the filter says maybe for all, the slots' confirmation by key decides
        long sameHash = 0x5a5a5a5aL << 32;
        Map<String, Long> model = new HashMap<>();
        for (long sequence = 1; sequence <= MANY / 2 + 10; sequence++) { // a filtered table: unique hashes for the bulk
            String key = "key-" + sequence;
            keysBySequence.put(sequence, key);
            index.add(index.hash(key), sequence);
            model.put(key, sequence);
        }
        long next = MANY / 2 + 10;
        for (int i = 0; i < 3 * IdempotencyIndex.STAGED; i++) {
            String key = "colliding-" + i;
            assertThat(index.find(key, sameHash)).isEqualTo(IdempotencyIndex.NONE);
            keysBySequence.put(++next, key);
            index.add(sameHash, next);
            model.put(key, next);
        }
        for (int i = 0; i < 3 * IdempotencyIndex.STAGED; i += 2) {
            String key = "colliding-" + i;
            index.removeHashed(sameHash, model.remove(key));
        }
        for (int i = 0; i < 3 * IdempotencyIndex.STAGED; i++) {
            String key = "colliding-" + i;
            assertThat(index.find(key, sameHash)).as(key).isEqualTo(model.getOrDefault(key, IdempotencyIndex.NONE));
        }
        assertThat(index.find("never-added", sameHash)).isEqualTo(IdempotencyIndex.NONE);
        assertThat(index.size()).isEqualTo(model.size());
    }

    @Test
    void answersAsAPlainMapUnderRandomAddsRetriesAndRemovals() {
        Map<String, Long> model = new HashMap<>();
        Random random = new Random(11);
        long sequence = 0;
        for (int op = 0; op < 400_000; op++) {
            String key = "k" + random.nextInt(120_000);
            long found = find(key);
            assertThat(found).isEqualTo(model.getOrDefault(key, IdempotencyIndex.NONE));
            if (found == IdempotencyIndex.NONE) {
                append(++sequence, key);
                model.put(key, sequence);
            } else if (random.nextInt(4) == 0) { // removed anywhere
                index.remove(key, found);
                keysBySequence.remove(found);
                model.remove(key);
            }
        }
        assertThat(index.size()).isEqualTo(model.size());
        model.forEach((key, at) -> assertThat(find(key)).isEqualTo(at));
    }
}
