package dev.parley.core;

import dev.parley.Client;
import dev.parley.ClientOptions;
import dev.parley.Conversation;
import dev.parley.Group;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.List;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Without {@code dbPath} a client keeps only the latest messages of each conversation. */
@Timeout(30)
class BoundedCacheTest {
    @RegisterExtension
    final TestNode net = new TestNode();

    @Test
    void onlyTheLatestMessagesOfAConversationStayInMemory() {
        Client alice = net.client();
        Client bob = net.client(dev.parley.Identity.generate(), options -> options.cachedMessagesPerConversation(5));
        Group group = alice.conversations().newGroup(List.of(bob.inboxId()));
        IntStream.rangeClosed(1, 20).forEach(i -> group.send("m" + i));

        bob.conversations().sync();

        Conversation cached = bob.conversations().getConversationById(group.id()).orElseThrow();
        assertThat(cached.messages()).extracting(m -> (String) m.content())
                .containsExactly("m16", "m17", "m18", "m19", "m20");
        assertThat(alice.conversations().getConversationById(group.id()).orElseThrow().messages()).hasSize(20);
    }

    @Test
    void theBoundMustBePositive() {
        assertThatThrownBy(() -> ClientOptions.builder().cachedMessagesPerConversation(0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("cachedMessagesPerConversation must be > 0");
        assertThat(ClientOptions.builder().endpoint("inproc://x").identity(dev.parley.Identity.generate()).build()
                .cachedMessagesPerConversation()).isEqualTo(10_000);
    }
}
