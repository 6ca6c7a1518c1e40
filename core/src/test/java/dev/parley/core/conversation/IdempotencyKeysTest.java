package dev.parley.core.conversation;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

class IdempotencyKeysTest {
    @Test
    void keysAre32LowerCaseHexCharactersAndNeverRepeatAcrossThreadsAndDraws() throws Exception {
        Set<String> keys = ConcurrentHashMap.newKeySet();
        List<CompletableFuture<Void>> threads = IntStream.range(0, 4).mapToObj(t -> CompletableFuture.runAsync(() -> {
            for (int i = 0; i < 5_000; i++) { // many draws of 64 keys per thread
                keys.add(IdempotencyKeys.next());
            }
        })).toList();
        CompletableFuture.allOf(threads.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);

        assertThat(keys).hasSize(20_000).allMatch(k -> k.matches("[0-9a-f]{32}"));
    }

    @Test
    void everyHexDigitOccursSoNoNibbleIsLost() {
        StringBuilder all = new StringBuilder();
        for (int i = 0; i < 200; i++) {
            all.append(IdempotencyKeys.next());
        }
        assertThat(all.chars().distinct().count()).isEqualTo(16);
    }
}
