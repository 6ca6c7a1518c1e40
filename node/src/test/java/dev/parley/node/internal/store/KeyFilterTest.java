package dev.parley.node.internal.store;

import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.Random;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class KeyFilterTest {
    private static long hashOf(int tag) {
        return (long) tag << 32;
    }

    @Test
    void everyAddedTagMightBeThereAndFewAbsentOnesDo() {
        assertFewFalseMaybes(1 << 15, 10); // 8 bits a tag: a filtered index's table just grown
        assertFewFalseMaybes(1 << 16, 4); // 4 bits a tag: its table half full, the most it holds
    }

    private static void assertFewFalseMaybes(int tags, int oneIn) {
        KeyFilter filter = new KeyFilter(1 << 12); // 256 Ki bits
        Random random = new Random(3);
        Set<Integer> added = new HashSet<>();
        while (added.size() < tags) {
            int tag = random.nextInt();
            added.add(tag);
            filter.add(hashOf(tag));
        }
        for (int tag : added) {
            assertThat(filter.mightContain(hashOf(tag))).isTrue();
        }
        int maybe = 0;
        int absent = 0;
        for (int i = 0; i < 100_000; i++) {
            int tag = random.nextInt();
            if (!added.contains(tag)) {
                absent++;
                maybe += filter.mightContain(hashOf(tag)) ? 1 : 0;
            }
        }
        assertThat(maybe).as("absent tags said maybe").isLessThan(absent / oneIn);
    }

    @Test
    void sequentialTagsSpreadOverTheWords() {
        KeyFilter filter = new KeyFilter(1 << 10);
        for (int tag = 1; tag <= 1 << 13; tag++) { // 8 bits a tag
            filter.add(hashOf(tag));
        }
        int maybe = 0;
        for (int tag = 1 << 20; tag < (1 << 20) + 10_000; tag++) {
            maybe += filter.mightContain(hashOf(tag)) ? 1 : 0;
        }
        assertThat(maybe).isLessThan(1_000);
    }

    @Test
    void clearForgetsEveryTag() {
        KeyFilter filter = new KeyFilter(16);
        for (int tag = 1; tag <= 1000; tag++) {
            filter.add(hashOf(tag));
        }
        filter.clear();
        for (int tag = 1; tag <= 1000; tag++) {
            assertThat(filter.mightContain(hashOf(tag))).isFalse();
        }
    }
}
