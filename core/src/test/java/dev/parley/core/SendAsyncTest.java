package dev.parley.core;

import dev.parley.Client;
import dev.parley.DecodedMessage;
import dev.parley.Group;
import dev.parley.PermissionDeniedException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@Timeout(60)
class SendAsyncTest {
    @RegisterExtension
    final TestNode net = new TestNode();

    @Test
    void manySendsInFlightFromOneThreadLandOnceEachInCallOrder() throws Exception {
        Client alice = net.client();
        Client bob = net.client();
        Group group = alice.conversations().newGroup(List.of(bob.inboxId()));
        List<CompletableFuture<String>> sent = new ArrayList<>();
        for (int i = 0; i < 1_000; i++) {
            sent.add(group.sendAsync("m" + i)); // none waited for
        }
        CompletableFuture.allOf(sent.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);

        List<String> ids = sent.stream().map(CompletableFuture::join).toList();
        assertThat(ids).doesNotHaveDuplicates();
        List<String> expected = IntStream.range(0, 1_000).mapToObj(i -> "m" + i).toList();
        assertThat(group.messages()).extracting(DecodedMessage::content).containsExactlyElementsOf(expected);
        assertThat(group.messages()).extracting(DecodedMessage::id).containsExactlyElementsOf(ids);
        bob.conversations().sync();
        assertThat(bob.conversations().getConversationById(group.id()).orElseThrow().messages())
                .extracting(DecodedMessage::content).containsExactlyElementsOf(expected);
    }

    @Test
    void aRefusedSendFailsItsFutureWithTheTypedException() {
        Client alice = net.client();
        Client bob = net.client();
        Group group = alice.conversations().newGroup(List.of(bob.inboxId()));
        bob.conversations().sync();
        Group bobs = (Group) bob.conversations().getConversationById(group.id()).orElseThrow();
        group.removeMembers(List.of(bob.inboxId()));

        CompletableFuture<String> refused = bobs.sendAsync("after my removal");
        assertThatThrownBy(() -> refused.get(10, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                .hasCauseInstanceOf(PermissionDeniedException.class);
        assertThatThrownBy(() -> bobs.send("blocking too")).isInstanceOf(PermissionDeniedException.class);
    }
}
