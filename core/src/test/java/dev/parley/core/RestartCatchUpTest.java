package dev.parley.core;

import dev.parley.Client;
import dev.parley.ConsentState;
import dev.parley.Conversation;
import dev.parley.DecodedMessage;
import dev.parley.Group;
import dev.parley.Identity;
import dev.parley.MessageStream;
import dev.parley.internal.Topics;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import static dev.parley.core.GatedTransportProvider.GATE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A restarting stream subscribes from its own cursors while it catches up, and the catch-up leaves out the
 * conversations that subscription replays; what the stream delivers stays what it was: the gap's messages once
 * each, in order, conversations created during the gap, nothing of one denied during the gap.
 */
@Timeout(60)
class RestartCatchUpTest {
    private static final Duration WAIT = Duration.ofSeconds(10);

    @RegisterExtension
    final TestNode net = new TestNode();

    @BeforeEach
    @AfterEach
    void openGate() {
        GATE.reset();
    }

    private Client gated(Identity identity) {
        return net.client(identity, options -> options
                .endpoint(URI.create("gate://" + URI.create(net.endpoint()).getAuthority())));
    }

    @Test
    void aRestartSubscribesBeforeItsCatchUpIsAnsweredAndAsksForNoConversationItResumes() {
        Client alice = net.client();
        Client bob = gated(Identity.generate());
        List<Group> groups = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            groups.add(alice.conversations().newGroup(List.of(bob.inboxId())));
        }
        Recorder<DecodedMessage> rec = new Recorder<>(m -> (String) m.content());
        try (MessageStream<DecodedMessage> stream = bob.conversations().streamAllMessages(rec.options()
                .retryDelay(Duration.ZERO).build())) {
            groups.get(3).send("before");
            rec.awaitValues(1);

            GATE.cut();
            // the catch-up's queries are held unanswered: the old engine subscribed only after their answers
            await().atMost(WAIT).until(() -> GATE.calls().containsAll(List.of("subscribe",
                    "query " + Topics.welcome(bob.inboxId()), "query " + Topics.preferences(bob.inboxId()))));
            groups.get(3).send("during");
            GATE.open();

            rec.awaitValues(2);
            assertThat(GATE.calls()).as("the restart reads no conversation its subscription resumes")
                    .noneMatch(call -> call.startsWith("query " + Topics.CONVERSATION));
            assertThat(rec.events).containsExactly("value:before", "error", "retry:1/10", "restart", "value:during");
            Conversation bobs = bob.conversations().getConversationById(groups.get(3).id()).orElseThrow();
            assertThat(bobs.messages()).as("stored from the replay, once each")
                    .extracting(m -> (String) m.content()).containsExactly("before", "during");
        }
    }

    @Test
    void whatChangesDuringTheGapIsDeliveredOnceAndNothingOfAConversationDeniedMeanwhile() {
        Client alice = net.client();
        Identity bobIdentity = Identity.generate();
        Client bob = gated(bobIdentity);
        Client bobElsewhere = net.client(bobIdentity);
        Group kept = alice.conversations().newGroup(List.of(bob.inboxId()));
        Group denied = alice.conversations().newGroup(List.of(bob.inboxId()));
        Recorder<DecodedMessage> rec = new Recorder<>(m -> (String) m.content());
        try (MessageStream<DecodedMessage> stream = bob.conversations().streamAllMessages(rec.options()
                .retryDelay(Duration.ZERO).build())) {
            kept.send("kept-1");
            denied.send("denied-1");
            rec.awaitValues(2);

            GATE.cut();
            await().atMost(WAIT).until(() -> GATE.calls().contains("subscribe"));
            bobElsewhere.conversations().sync();
            bobElsewhere.conversations().getConversationById(denied.id()).orElseThrow()
                    .updateConsentState(ConsentState.DENIED);
            denied.send("denied-2");
            kept.send("kept-2");
            Group fresh = alice.conversations().newGroup(List.of(bob.inboxId()));
            fresh.send("fresh-1");
            kept.send("kept-3");
            GATE.open();

            await().atMost(WAIT).until(() -> rec.values.size() >= 5);
            kept.send("marker");
            rec.awaitValues(6);
            assertThat(rec.values).extracting(m -> (String) m.content())
                    .as("once each; nothing of the conversation denied during the gap")
                    .containsExactlyInAnyOrder("kept-1", "denied-1", "kept-2", "fresh-1", "kept-3", "marker");
            assertThat(rec.values).filteredOn(m -> m.conversationId().equals(kept.id()))
                    .extracting(m -> (String) m.content()).as("in order")
                    .containsExactly("kept-1", "kept-2", "kept-3", "marker");
            await().atMost(WAIT).until(() -> GATE.calls().contains("query " + Topics.conversation(fresh.id())));
            assertThat(messages(bob, kept)).containsExactly("kept-1", "kept-2", "kept-3", "marker");
            assertThat(messages(bob, denied)).as("never stored once denied").containsExactly("denied-1");
            assertThat(messages(bob, fresh)).containsExactly("fresh-1");
            assertThat(rec.maxConcurrent.get()).isEqualTo(1);
        }
    }

    @Test
    void aRestartWhileTheDroppedAttemptsCatchUpIsHeldWaitsForItWithoutTakingAThread() throws Exception {
        ExecutorService twoThreads = Executors.newFixedThreadPool(2);
        Client alice = net.client();
        Client bob = net.client(Identity.generate(), options -> options
                .endpoint(URI.create("gate://" + URI.create(net.endpoint()).getAuthority()))
                .callbackExecutor(twoThreads));
        try {
            Group group = alice.conversations().newGroup(List.of(bob.inboxId()));
            Recorder<DecodedMessage> rec = new Recorder<>(m -> (String) m.content());
            try (MessageStream<DecodedMessage> stream = bob.conversations().streamAllMessages(rec.options()
                    .retryDelay(Duration.ZERO).build())) {
                group.send("before");
                rec.awaitValues(1);

                GATE.cut(); // attempt 2: its subscribe and its catch-up's queries are held, the catch-up takes a thread
                await().atMost(WAIT).until(() -> GATE.calls().containsAll(List.of("subscribe",
                        "query " + Topics.welcome(bob.inboxId()))));
                group.send("during");
                GATE.cut(); // attempt 2's subscription fails while its catch-up waits for its answers: attempt 3
                await().atMost(WAIT).until(() -> GATE.calls().contains("subscribe"));
                // attempt 3's catch-up waits for attempt 2's without a thread: the executor still runs other work
                // (a catch-up blocked behind the one held would take the second thread until the gate opens)
                CompletableFuture.runAsync(() -> { }, twoThreads).get(WAIT.toSeconds(), TimeUnit.SECONDS);
                assertThat(GATE.calls()).as("attempt 3 has not started its catch-up yet")
                        .noneMatch(call -> call.startsWith("query "));
                GATE.open();

                rec.awaitValues(2);
                group.send("after");
                rec.awaitValues(3);
                assertThat(rec.events).containsExactly("value:before", "error", "retry:1/10", "error", "retry:2/10",
                        "restart", "value:during", "value:after");
                assertThat(messages(bob, group)).as("stored once each").containsExactly("before", "during", "after");
            }
        } finally {
            GATE.open();
            bob.close();
            twoThreads.shutdown();
            assertThat(twoThreads.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
        }
    }

    private static List<String> messages(Client client, Conversation conversation) {
        return client.conversations().getConversationById(conversation.id()).orElseThrow().messages().stream()
                .map(m -> (String) m.content()).toList();
    }
}
