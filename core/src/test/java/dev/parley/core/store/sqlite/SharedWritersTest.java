package dev.parley.core.store.sqlite;

import dev.parley.DecodedMessage;
import dev.parley.core.codec.Codecs;
import dev.parley.internal.Topics;
import dev.parley.internal.util.SharedThreads;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import java.util.stream.LongStream;

import static dev.parley.core.store.MessageStoreContract.conversation;
import static dev.parley.core.store.MessageStoreContract.message;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Many client databases in one JVM write on the few threads of the shared store pool, none of their own;
 * each database's writes stay in order and are all on disk once it is closed; the pool's threads end
 * with the last database.
 */
@Timeout(120)
class SharedWritersTest {
    private static final Codecs CODECS = new Codecs(List.of());
    private static final String ME = "inbox-me";
    private static final int DATABASES = 40;
    private static final int MESSAGES = 300;

    @TempDir
    Path dir;

    @RepeatedTest(3)
    void manyDatabasesWriteInOrderOnAFewSharedThreadsThatEndWithTheLast() throws Exception {
        List<SqliteMessageStore> stores = IntStream.range(0, DATABASES)
                .mapToObj(i -> SqliteMessageStore.open(file(i), ME, CODECS)).toList();
        ExecutorService writers = Executors.newFixedThreadPool(8);
        try {
            List<CompletableFuture<Void>> writing = new ArrayList<>();
            for (SqliteMessageStore store : stores) {
                writing.add(CompletableFuture.runAsync(() -> write(store), writers));
            }
            CompletableFuture.allOf(writing.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
        } finally {
            writers.shutdown();
        }
        assertThat(threadsNamed("parley-shared-store")).as("writer threads of %d databases", DATABASES)
                .isNotEmpty().hasSizeLessThanOrEqualTo(SharedThreads.SIZE);
        assertThat(threadsNamed("parley-store-")).as("threads of one database").isEmpty();

        stores.forEach(SqliteMessageStore::close); // right after writing: close writes what waits
        await().atMost(Duration.ofSeconds(20)).until(() -> threadsNamed("parley-shared-store"), List::isEmpty);

        for (int i = 0; i < DATABASES; i++) {
            try (SqliteMessageStore again = SqliteMessageStore.open(file(i), ME, CODECS)) {
                assertThat(again.messages("c")).extracting(DecodedMessage::id)
                        .containsExactlyElementsOf(LongStream.rangeClosed(1, MESSAGES)
                                .mapToObj(sequence -> message("c", sequence).id()).toList());
                assertThat(again.cursor(Topics.conversation("c"))).isEqualTo(MESSAGES);
            }
        }
    }

    /** Half the messages one write each, half in transactions of ten, each advancing the cursor. */
    private static void write(SqliteMessageStore store) {
        store.putConversation(conversation("c", 1));
        for (long sequence = 1; sequence <= MESSAGES / 2; sequence++) {
            store.putMessage(message("c", sequence), sequence);
            store.advanceCursor(Topics.conversation("c"), sequence);
        }
        for (long first = MESSAGES / 2 + 1; first <= MESSAGES; first += 10) {
            long from = first;
            store.inTransaction(() -> LongStream.range(from, from + 10).forEach(sequence -> {
                store.putMessage(message("c", sequence), sequence);
                store.advanceCursor(Topics.conversation("c"), sequence);
            }));
        }
    }

    private Path file(int i) {
        return dir.resolve("client-" + i + ".db");
    }

    private static List<String> threadsNamed(String prefix) {
        return Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive).map(Thread::getName)
                .filter(name -> name.startsWith(prefix)).toList();
    }
}
