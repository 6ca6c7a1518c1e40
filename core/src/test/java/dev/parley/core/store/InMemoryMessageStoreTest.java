package dev.parley.core.store;

import org.junit.jupiter.api.Test;

import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class InMemoryMessageStoreTest extends MessageStoreContract {
    @Override
    protected MessageStore newStore() {
        return new InMemoryMessageStore(1_000);
    }

    @Test
    void keepsOnlyTheLatestMessagesOfEachConversation() {
        MessageStore small = new InMemoryMessageStore(3);
        IntStream.rangeClosed(1, 10).forEach(i -> small.putMessage(message("c", i), i));
        small.putMessage(message("c", 2), 2); // a late duplicate of a dropped message stays dropped
        small.putMessage(message("d", 1), 1);

        assertThat(texts(small.messages("c"))).containsExactly("text 8", "text 9", "text 10");
        assertThat(texts(small.messages("d"))).containsExactly("text 1");
    }

    @Test
    void aCapBelowOneIsRefused() {
        assertThatThrownBy(() -> new InMemoryMessageStore(0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("> 0");
    }
}
