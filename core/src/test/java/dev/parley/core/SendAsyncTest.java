package dev.parley.core;

import dev.parley.Client;
import dev.parley.DecodedMessage;
import dev.parley.Group;
import dev.parley.Identity;
import dev.parley.PermissionDeniedException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
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

    @ParameterizedTest(name = "durable store: {0}")
    @ValueSource(booleans = {false, true})
    void sendsToOneConversationCompleteInSendOrderWithTheMessageAlreadyStored(boolean durable, @TempDir Path dir)
            throws Exception {
        Client alice = net.client(Identity.generate(), options -> durable ? options.dbPath(dir.resolve("a.db")) : options);
        Group group = alice.conversations().newGroup(List.of());
        List<Integer> completed = Collections.synchronizedList(new ArrayList<>());
        List<Boolean> storedWhenCompleted = Collections.synchronizedList(new ArrayList<>());
        List<CompletableFuture<Void>> observed = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
            int index = i;
            observed.add(group.sendAsync("m" + i).thenAccept(id -> {
                completed.add(index);
                storedWhenCompleted.add(group.messages().stream().anyMatch(m -> m.id().equals(id)));
            }));
        }
        CompletableFuture.allOf(observed.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);

        assertThat(completed).containsExactlyElementsOf(IntStream.range(0, 500).boxed().toList());
        assertThat(storedWhenCompleted).hasSize(500).containsOnly(true);
    }

    @Test
    void aSendWhoseAnswerIsLostIsRetriedWithItsKeyAndStoredOnce() throws Exception {
        LostAnswersTransportProvider.ATTEMPTS.clear();
        URI lostAnswers = URI.create("lostanswer://" + URI.create(net.endpoint()).getAuthority());
        Client alice = net.client(Identity.generate(), options -> options.endpoint(lostAnswers));
        Client bob = net.client();
        Group group = alice.conversations().newGroup(List.of(bob.inboxId()));
        LostAnswersTransportProvider.ATTEMPTS.clear(); // the group's creation is not a publish of ours
        List<CompletableFuture<String>> sent = IntStream.range(0, 50).mapToObj(i -> group.sendAsync("m" + i)).toList();
        CompletableFuture.allOf(sent.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
        String blocking = group.send("last");

        List<String> expected = new ArrayList<>(IntStream.range(0, 50).mapToObj(i -> "m" + i).toList());
        expected.add("last");
        List<String> ids = new ArrayList<>(sent.stream().map(CompletableFuture::join).toList());
        ids.add(blocking);
        assertThat(LostAnswersTransportProvider.ATTEMPTS).hasSize(51)
                .allSatisfy((key, attempts) -> assertThat(attempts.get()).isEqualTo(2));
        assertThat(group.messages()).extracting(DecodedMessage::content).containsExactlyElementsOf(expected);
        assertThat(group.messages()).extracting(DecodedMessage::id).containsExactlyElementsOf(ids);
        bob.conversations().sync();
        assertThat(bob.conversations().getConversationById(group.id()).orElseThrow().messages())
                .extracting(DecodedMessage::id).containsExactlyElementsOf(ids);
    }
}
