package dev.parley.core.store.sqlite;

import dev.parley.ContentTypeId;
import dev.parley.DecodedMessage;
import dev.parley.core.codec.Codecs;
import dev.parley.internal.Topics;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;

import static dev.parley.core.store.MessageStoreContract.message;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Group commit of the client's database: transactions handed over while a commit runs are written
 * together by the next commit, in the order they came, with each cursor at its highest, on the shared
 * store pool (never on the thread that hands them over).
 */
@Timeout(30)
class WriterTest {
    private static final String TOPIC = Topics.conversation("c");

    @TempDir
    Path dir;

    @RepeatedTest(20)
    void transactionsHandedOverDuringACommitAreTheNextCommitInOrderWithEachCursorAtItsHighest() throws Exception {
        try (Database db = new Database(DatabaseFile.open(dir.resolve("writer.db"), Schema.LATEST));
             Writer writer = new Writer(db, () -> 0)) {
            CountDownLatch committing = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            CompletableFuture<String> commitThread = new CompletableFuture<>();
            PendingWrites first = new PendingWrites(0);
            first.add(sql -> {
                commitThread.complete(Thread.currentThread().getName());
                committing.countDown();
                await(release);
            });
            writer.submit(first);
            await(committing);
            long commitsBefore = db.commits();

            // handed over while the first commit is held: messages 1..6, cursors out of order
            long[] cursors = {4, 2, 6, 5, 1, 3};
            for (int i = 0; i < cursors.length; i++) {
                PendingWrites next = new PendingWrites(0);
                long sequence = i + 1;
                DecodedMessage m = message("c", sequence);
                next.message(new MessageRow("c", 0, sequence, m.id(), m.senderInboxId(), m.sentAtNs(),
                        ContentTypeId.TEXT.toString(), null, m.fallback()));
                next.cursor(TOPIC, cursors[i]);
                next.durableCursor("s", TOPIC, cursors[i]);
                writer.submit(next);
            }
            release.countDown();
            writer.awaitWritten();

            assertThat(commitThread.get(10, TimeUnit.SECONDS)).startsWith("parley-shared-store")
                    .isNotEqualTo(Thread.currentThread().getName());
            assertThat(db.commits() - commitsBefore).as("commits after the held one").isEqualTo(2);
            List<DecodedMessage> stored = db.read("read", sql -> Rows.messages(sql, "c",
                    new MessageContent(new Codecs(List.of()))));
            Map<String, Long> syncCursors = db.read("read", Rows::syncCursors);
            Map<String, Long> durableCursors = db.read("read", sql -> Rows.durableCursors(sql, "s"));
            assertThat(stored).extracting(DecodedMessage::id)
                    .containsExactlyElementsOf(LongStream.rangeClosed(1, 6).mapToObj(s -> message("c", s).id()).toList());
            assertThat(syncCursors).isEqualTo(Map.of(TOPIC, 6L));
            assertThat(durableCursors).isEqualTo(Map.of(TOPIC, 6L));
        }
    }

    private static void await(CountDownLatch latch) {
        try {
            assertThat(latch.await(10, TimeUnit.SECONDS)).isTrue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
