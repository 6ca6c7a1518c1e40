package dev.parley.core;

import dev.parley.Client;
import dev.parley.ConsentRecord;
import dev.parley.ConsentState;
import dev.parley.Conversation;
import dev.parley.DecodedMessage;
import dev.parley.Dm;
import dev.parley.Group;
import dev.parley.MessageStream;
import dev.parley.StreamOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

@Timeout(60)
class ConsentFilterTest {
    @RegisterExtension
    final TestNode net = new TestNode();

    /** bob: one conversation he created (ALLOWED), one he was added to (UNKNOWN), one he denied. */
    private record Setup(Client alice, Client bob, Group allowed, Conversation unknown, Conversation denied) {
    }

    private Setup setup() {
        Client alice = net.client();
        Client bob = net.client();
        Group allowed = bob.conversations().newGroup(List.of(alice.inboxId()));
        Group unknown = alice.conversations().newGroup(List.of(bob.inboxId()));
        Dm spam = alice.conversations().newDm(bob.inboxId());
        bob.conversations().sync();
        Conversation denied = bob.conversations().getConversationById(spam.id()).orElseThrow();
        denied.updateConsentState(ConsentState.DENIED);
        Conversation unknownForBob = bob.conversations().getConversationById(unknown.id()).orElseThrow();
        assertThat(bob.conversations().getConversationById(allowed.id()).orElseThrow().consentState())
                .isEqualTo(ConsentState.ALLOWED);
        assertThat(unknownForBob.consentState()).isEqualTo(ConsentState.UNKNOWN);
        assertThat(denied.consentState()).isEqualTo(ConsentState.DENIED);
        return new Setup(alice, bob, allowed, unknownForBob, denied);
    }

    /** alice sends one message to each conversation, then a final marker to the ALLOWED one. */
    private void sendRound(Setup s, String tag) {
        for (Conversation c : List.of(s.denied(), s.unknown(), s.allowed())) {
            s.alice().conversations().getConversationById(c.id()).or(() -> {
                s.alice().conversations().sync();
                return s.alice().conversations().getConversationById(c.id());
            }).orElseThrow().send(tag + "@" + c.id());
        }
    }

    /**
     * Nothing more than expected arrives: a marker sent afterwards to the ALLOWED conversation is
     * received next, so anything the stream wrongly followed would have had its chance first.
     */
    private void assertNoMoreAfterMarker(Setup s, Recorder<DecodedMessage> rec, int expected) {
        s.alice().conversations().getConversationById(s.allowed().id()).orElseThrow().send("marker");
        rec.awaitValues(expected + 1);
        assertThat(rec.values).hasSize(expected + 1);
        assertThat(rec.values.get(expected).content()).isEqualTo("marker");
        assertThat(rec.values).noneMatch(m -> m.conversationId().equals(s.denied().id()));
    }

    private List<String> streamRound(Setup s, StreamOptions.Builder<DecodedMessage> options,
                                     Recorder<DecodedMessage> rec, int expected) {
        MessageStream<DecodedMessage> stream = s.bob().conversations().streamAllMessages(options.build());
        streams.add(stream);
        sendRound(s, "m");
        rec.awaitValues(expected);
        return rec.values.stream().map(m -> m.conversationId()).toList();
    }

    private final List<MessageStream<?>> streams = new java.util.ArrayList<>();

    @org.junit.jupiter.api.AfterEach
    void endStreams() {
        streams.forEach(MessageStream::end);
    }

    @Test
    void defaultFilterStreamsAllowedAndUnknownButNotDenied() {
        Setup s = setup();
        Recorder<DecodedMessage> rec = new Recorder<>(m -> (String) m.content());
        List<String> got = streamRound(s, rec.options(), rec, 2);
        assertThat(got).containsExactlyInAnyOrder(s.unknown().id(), s.allowed().id());
        assertNoMoreAfterMarker(s, rec, 2);
        s.bob().conversations().sync();
        assertThat(s.denied().messages()).isEmpty();
        assertThat(s.unknown().messages()).hasSize(1);
    }

    @Test
    void allowedOnly() {
        Setup s = setup();
        Recorder<DecodedMessage> rec = new Recorder<>(m -> (String) m.content());
        List<String> got = streamRound(s, rec.options().consentStates(ConsentState.ALLOWED), rec, 1);
        assertThat(got).containsExactly(s.allowed().id());
        assertNoMoreAfterMarker(s, rec, 1);
    }

    @Test
    void allThreeStatesDeliverDeniedButNeverStoreIt() {
        Setup s = setup();
        Recorder<DecodedMessage> rec = new Recorder<>(m -> (String) m.content());
        List<String> got = streamRound(s, rec.options()
                .consentStates(ConsentState.ALLOWED, ConsentState.UNKNOWN, ConsentState.DENIED), rec, 3);
        assertThat(got).containsExactlyInAnyOrder(s.denied().id(), s.unknown().id(), s.allowed().id());
        assertThat(s.denied().messages()).isEmpty();
        assertThat(s.allowed().messages()).hasSize(1);
        s.bob().conversations().sync();
        assertThat(s.denied().messages()).isEmpty();
    }

    @Test
    void denyingThenAllowingMidStreamRemovesAndAddsMessagesLive() {
        Setup s = setup();
        Conversation unknownForAlice = s.alice().conversations().getConversationById(s.unknown().id()).orElseThrow();
        Conversation allowedForAlice = s.alice().conversations().getConversationById(s.allowed().id()).orElseThrow();
        Recorder<DecodedMessage> rec = new Recorder<>(m -> (String) m.content());
        Recorder<ConsentRecord> consent = new Recorder<>(r -> r.conversationId() + "=" + r.state());
        try (MessageStream<DecodedMessage> stream = s.bob().conversations().streamAllMessages(rec.options().build());
             MessageStream<ConsentRecord> consentStream = s.bob().preferences().streamConsent(consent.options().build())) {
            unknownForAlice.send("before");
            allowedForAlice.send("marker-1");
            rec.awaitValues(2);

            s.unknown().updateConsentState(ConsentState.DENIED);
            consent.awaitValues(1);
            // the stream applies the consent change before envelopes that reach the node after it
            allowedForAlice.send("marker-2a");
            rec.awaitValues(3);
            unknownForAlice.send("while-denied");
            allowedForAlice.send("marker-2");
            rec.awaitValues(4);
            s.bob().conversations().sync();
            assertThat(s.unknown().messages()).extracting(m -> (String) m.content()).containsExactly("before");

            s.unknown().updateConsentState(ConsentState.ALLOWED);
            consent.awaitValues(2);
            // the stream handles the consent change before later envelopes of the same stream
            allowedForAlice.send("marker-3");
            rec.awaitValues(5);
            unknownForAlice.send("after-allow");
            rec.awaitValues(6);

            assertThat(rec.values).extracting(m -> (String) m.content())
                    .containsExactlyInAnyOrder("before", "marker-1", "marker-2a", "marker-2", "marker-3", "after-allow");
            assertThat(consent.values).extracting(ConsentRecord::state)
                    .containsExactly(ConsentState.DENIED, ConsentState.ALLOWED);
        }
    }

    @Test
    void conversationCreatedAfterStreamStartHasItsMessagesStreamed() {
        Client alice = net.client();
        Client bob = net.client();
        Recorder<DecodedMessage> rec = new Recorder<>(m -> (String) m.content());
        try (MessageStream<DecodedMessage> stream = bob.conversations().streamAllMessages(rec.options().build())) {
            Group later = alice.conversations().newGroup(List.of(bob.inboxId()));
            later.send("one");
            later.send("two");
            rec.awaitValues(2);
            assertThat(rec.values).extracting(m -> (String) m.content()).containsExactly("one", "two");
            assertThat(rec.values).allMatch(m -> m.conversationId().equals(later.id()));
        }
    }

    @Test
    void ownMessagesAreStreamedBack() {
        Client alice = net.client();
        Client bob = net.client();
        Group group = alice.conversations().newGroup(List.of(bob.inboxId()));
        Recorder<DecodedMessage> rec = new Recorder<>(m -> (String) m.content());
        try (MessageStream<DecodedMessage> stream = alice.conversations().streamAllMessages(rec.options().build())) {
            group.send("mine");
            rec.awaitValues(1);
            assertThat(rec.values.get(0).senderInboxId()).isEqualTo(alice.inboxId());
        }
    }
}
