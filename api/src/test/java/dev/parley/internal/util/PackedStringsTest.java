package dev.parley.internal.util;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

class PackedStringsTest {
    private static final int CHUNK = 16 * 1024;

    @Test
    void everyStringComesBackEqualFromItsChunkAndOffset() {
        PackedStrings strings = new PackedStrings();
        List<String> given = new ArrayList<>(List.of("", "a", "café", "日本語", "\uD83D\uDE00 emoji", "ÿ\u0100",
                "x".repeat(CHUNK), "y".repeat(CHUNK + 1), "\u0100".repeat(CHUNK / 2 + 1), ""));
        Random random = new Random(7);
        for (int i = 0; i < 2_000; i++) {
            char[] chars = new char[random.nextInt(40)];
            for (int c = 0; c < chars.length; c++) {
                chars[c] = (char) (random.nextBoolean() ? random.nextInt(0x100) : random.nextInt(0x10000));
            }
            given.add(new String(chars));
        }
        List<byte[]> chunks = new ArrayList<>();
        List<Integer> offsets = new ArrayList<>();
        for (String text : given) {
            chunks.add(strings.pack(text, PackedStrings.code(text)));
            offsets.add(strings.packedAt());
        }
        for (int i = 0; i < given.size(); i++) {
            String text = given.get(i);
            assertThat(PackedStrings.read(chunks.get(i), offsets.get(i), PackedStrings.code(text))).isEqualTo(text);
        }
    }

    @Test
    void aLatin1StringTakesOneByteACharacterAndAnotherTwo() {
        assertThat(PackedStrings.code("café")).isEqualTo(4);
        assertThat(PackedStrings.code("日本")).isEqualTo(~4);
        assertThat(PackedStrings.code("")).isZero();
    }

    @Test
    void stringsShareChunksThatGrowToAFullChunk() {
        PackedStrings strings = new PackedStrings();
        byte[] first = strings.pack("ab", 2);
        assertThat(strings.pack("cd", 2)).isSameAs(first);
        assertThat(strings.packedAt()).isEqualTo(2);
        byte[] last = first;
        for (int i = 0; i < 20_000; i++) {
            last = strings.pack("0123456789", 10);
        }
        assertThat(last.length).isEqualTo(CHUNK);
    }

    @Test
    void aStringLargerThanAChunkGetsOneOfItsOwnThatTheNextStringsDoNotShare() {
        PackedStrings strings = new PackedStrings();
        byte[] current = strings.pack("small", 5);
        String large = "z".repeat(CHUNK + 10);
        byte[] own = strings.pack(large, PackedStrings.code(large));
        assertThat(own).hasSize(CHUNK + 10);
        assertThat(strings.packedAt()).isZero();
        assertThat(strings.pack("next", 4)).as("packing goes on in the chunk before the large string")
                .isSameAs(current).isNotSameAs(own);
        assertThat(strings.packedAt()).isEqualTo(5);
    }
}
