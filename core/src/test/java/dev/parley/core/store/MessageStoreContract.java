package dev.parley.core.store;

import dev.parley.ConsentRecord;
import dev.parley.ConsentState;
import dev.parley.ContentTypeId;
import dev.parley.ConversationType;
import dev.parley.DecodedMessage;
import dev.parley.internal.Topics;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** What every {@link MessageStore} does; each store's test runs it. */
public abstract class MessageStoreContract {
    protected static final String ME = "inbox-me";
    protected MessageStore store;

    /** A new, empty store. */
    protected abstract MessageStore newStore() throws Exception;

    @BeforeEach
    void open() throws Exception {
        store = newStore();
    }

    @AfterEach
    void close() {
        store.close();
    }

    public static ConversationRecord conversation(String id, long createdAtNs) {
        return new ConversationRecord(id, ConversationType.GROUP, List.of(ME, "inbox-b"), ME, createdAtNs, "g-" + id);
    }

    public static DecodedMessage message(String conversationId, long sequence) {
        return new DecodedMessage(conversationId + "#" + sequence, conversationId, "inbox-b", 1_000 + sequence,
                ContentTypeId.TEXT, "text " + sequence, null);
    }

    protected static List<String> texts(List<DecodedMessage> messages) {
        return messages.stream().map(m -> (String) m.content()).toList();
    }

    @Test
    void conversationsComeBackOldestFirstAndAreStoredOnce() {
        assertThat(store.putConversation(conversation("b", 20))).isTrue();
        assertThat(store.putConversation(conversation("a", 10))).isTrue();
        assertThat(store.putConversation(new ConversationRecord("a", ConversationType.DM, List.of(ME), ME, 99, "other")))
                .isFalse();

        assertThat(store.conversations()).containsExactly(conversation("a", 10), conversation("b", 20));
        assertThat(store.conversation("b")).contains(conversation("b", 20));
        assertThat(store.conversation("nope")).isEmpty();
    }

    @Test
    void aConversationGivesWayOnlyToALaterState() {
        ConversationRecord created = conversation("g", 1);
        ConversationRecord added = created.updated(5, List.of(ME, "inbox-b", "inbox-c"), List.of(ME), null, ME);
        ConversationRecord removed = added.updated(9, List.of("inbox-b", "inbox-c"), List.of("inbox-b"), "renamed", ME);
        store.putConversation(created);

        assertThat(store.putConversation(removed)).isTrue();
        assertThat(store.putConversation(added)).as("an older state").isFalse();
        assertThat(store.putConversation(removed)).as("the same state").isFalse();
        ConversationRecord now = store.conversation("g").orElseThrow();
        assertThat(now).isEqualTo(removed);
        assertThat(now.active()).isFalse();
        assertThat(now.name()).isEqualTo("renamed");
        assertThat(now.adminInboxIds()).containsExactly("inbox-b");
        assertThat(now.memberInboxIds()).containsExactly("inbox-b", "inbox-c");
    }

    @Test
    void consentKeepsTheLatestDecision() {
        store.putConsent(new ConsentRecord("c", ConsentState.ALLOWED, 200));
        store.putConsent(new ConsentRecord("c", ConsentState.UNKNOWN, 100));

        assertThat(store.consent("c")).contains(new ConsentRecord("c", ConsentState.ALLOWED, 200));
        assertThat(store.consent("other")).isEmpty();
    }

    @Test
    void messagesInSequenceOrderEachOnce() {
        store.putConversation(conversation("c", 1));
        store.putMessage(message("c", 2), 2);
        store.putMessage(message("c", 1), 1);
        store.putMessage(message("c", 2), 2);

        assertThat(texts(store.messages("c"))).containsExactly("text 1", "text 2");
        assertThat(store.messages("c").get(0)).isEqualTo(message("c", 1));
        assertThat(store.messages("unknown")).isEmpty();
    }

    @Test
    void cursorsNeverGoBack() {
        assertThat(store.cursor("t")).isZero();
        store.advanceCursor("t", 5);
        store.advanceCursor("t", 3);

        assertThat(store.cursor("t")).isEqualTo(5);
    }

    @Test
    void durableCursorsArePerStreamAndNeverGoBack() {
        assertThat(store.durableCursors("s1")).isEmpty();
        store.advanceDurableCursor("s1", "t", 7);
        store.advanceDurableCursor("s1", "t", 4);
        store.advanceDurableCursor("s1", "u", 1);
        store.advanceDurableCursor("s2", "t", 2);

        assertThat(store.durableCursors("s1")).isEqualTo(Map.of("t", 7L, "u", 1L));
        assertThat(store.durableCursors("s2")).isEqualTo(Map.of("t", 2L));
    }

    @Test
    void writesOfATransactionAreThereAfterIt() {
        store.inTransaction(() -> {
            store.putConversation(conversation("c", 1));
            store.inTransaction(() -> store.putMessage(message("c", 1), 1)); // nested: joins
            store.advanceCursor(Topics.conversation("c"), 1);
            store.advanceDurableCursor("s", Topics.conversation("c"), 1);
        });

        assertThat(store.conversations()).hasSize(1);
        assertThat(texts(store.messages("c"))).containsExactly("text 1");
        assertThat(store.cursor(Topics.conversation("c"))).isEqualTo(1);
        assertThat(store.durableCursors("s")).containsEntry(Topics.conversation("c"), 1L);
    }

    @Test
    void aNewNodeHistoryForgetsTheOldOneButKeepsConsent() {
        store.putConversation(conversation("c", 1));
        store.putConsent(new ConsentRecord("c", ConsentState.ALLOWED, 5));
        assertThat(store.nodeEpoch()).isEmpty();
        assertThat(store.adoptEpoch("e1")).isFalse();
        assertThat(store.adoptEpoch("e1")).isFalse();
        store.putMessage(message("c", 1), 1);
        store.putMessage(message("c", 2), 2);
        store.advanceCursor("t", 2);
        store.advanceDurableCursor("s", "t", 2);

        assertThat(store.adoptEpoch("e2")).isTrue();

        assertThat(store.nodeEpoch()).contains("e2");
        assertThat(store.conversations()).isEmpty();
        assertThat(store.conversation("c")).isEmpty();
        assertThat(store.messages("c")).isEmpty();
        assertThat(store.cursor("t")).isZero();
        assertThat(store.durableCursors("s")).isEmpty();
        assertThat(store.consent("c")).as("the user's decision outlives the node's history")
                .contains(new ConsentRecord("c", ConsentState.ALLOWED, 5));
        DecodedMessage again = new DecodedMessage("new#1", "c", "inbox-b", 5, ContentTypeId.TEXT, "new 1", null);
        assertThat(store.putMessage(again, 1)).as("the new history's sequence 1 is no duplicate").isTrue();
        assertThat(texts(store.messages("c"))).containsExactly("new 1");
    }
}
