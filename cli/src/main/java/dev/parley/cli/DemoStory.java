package dev.parley.cli;

import dev.parley.Client;
import dev.parley.ConsentState;
import dev.parley.Conversation;
import dev.parley.DecodedMessage;
import dev.parley.Dm;
import dev.parley.Group;
import dev.parley.GroupUpdated;
import dev.parley.MessageStream;
import dev.parley.StreamOptions;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;

/**
 * The demo's story, step by step: bob streams, alice makes a group, carol spams bob who denies her
 * DM, alice and carol talk in the group while bob's connection is cut (the {@link Fault}), the tally;
 * then alice adds dave to the group and removes carol ({@link MembershipChapter}).
 */
final class DemoStory {
    /**
     * What cuts bob's connection midway: {@code who} announces it ({@code [net]}, {@code [node]}) with
     * {@code announcement}, then {@code action} runs.
     */
    record Fault(String who, String announcement, Runnable action) {
    }

    private static final Duration RETRY_DELAY = Duration.ofMillis(200);

    private final Console console;
    private final Fault fault;
    private final URI direct;
    private final URI bobsEndpoint;
    private final Client alice;
    private final Client bob;
    private final Client carol;
    private final Client dave;
    private final int messages;
    private final int spam;
    private final Duration timeout;
    private final Map<String, String> names;
    private final Map<String, String> labels = new ConcurrentHashMap<>();
    private final MessageTally tally = new MessageTally();
    private final StreamTrace messagesTrace;
    private final StreamTrace conversationsTrace;
    private final CompletableFuture<Group> bobSawGroup = new CompletableFuture<>();
    private final CompletableFuture<Dm> bobSawDm = new CompletableFuture<>();

    DemoStory(Console console, Fault fault, Client alice, Client bob, Client carol, Client dave, URI direct,
              URI bobsEndpoint, int messages, int spam, Duration timeout) {
        this.console = console;
        this.fault = fault;
        this.direct = direct;
        this.bobsEndpoint = bobsEndpoint;
        this.alice = alice;
        this.bob = bob;
        this.carol = carol;
        this.dave = dave;
        this.messages = messages;
        this.spam = spam;
        this.timeout = timeout;
        this.names = Map.of(alice.inboxId(), "alice", bob.inboxId(), "bob", carol.inboxId(), "carol",
                dave.inboxId(), "dave");
        this.messagesTrace = new StreamTrace(console, "bob");
        this.conversationsTrace = new StreamTrace(console, "bob/conversations");
    }

    DemoResult run() throws InterruptedException {
        for (Client client : List.of(alice, bob, carol, dave)) {
            URI endpoint = client == bob ? bobsEndpoint : direct;
            console.say(name(client.inboxId()), "connected to %s%s, inbox %s", endpoint,
                    endpoint.equals(direct) ? "" : " (the fault proxy)", Console.shortId(client.inboxId()));
        }
        DemoResult result;
        try (MessageStream<Conversation> conversations = bob.conversations().stream(
                conversationsTrace.attach(StreamOptions.<Conversation>builder())
                        .retryDelay(RETRY_DELAY)
                        .onValue(this::bobSeesConversation)
                        .build());
             MessageStream<DecodedMessage> allMessages = bob.conversations().streamAllMessages(
                     messagesTrace.attach(StreamOptions.<DecodedMessage>builder())
                             .retryDelay(RETRY_DELAY)
                             .onValue(this::bobGetsMessage)
                             .build())) {
            console.say("bob", "streaming new conversations (%s) and all messages (%s)",
                    conversations.state(), allMessages.state());
            result = tell();
            console.say("bob", "ending his streams");
        }
        return result;
    }

    private DemoResult tell() throws InterruptedException {
        Group group = alice.conversations().newGroup(List.of(bob.inboxId(), carol.inboxId()), "demo-group");
        labels.put(group.id(), "group");
        console.say("alice", "created group %s \"%s\" with bob and carol", Console.shortId(group.id()), group.name());
        await(bobSawGroup, "the group");

        carol.conversations().sync();
        Conversation carolsGroup = carol.conversations().getConversationById(group.id())
                .orElseThrow(() -> new IllegalStateException("carol has no group " + group.id() + " after sync"));

        Dm spamDm = carol.conversations().newDm(bob.inboxId());
        labels.put(spamDm.id(), "DENIED dm");
        console.say("carol", "opened DM %s with bob, to spam him", Console.shortId(spamDm.id()));
        Dm bobsDm = await(bobSawDm, "carol's DM");
        bobsDm.updateConsentState(ConsentState.DENIED);
        console.say("bob", "denied DM %s: consent is now %s", Console.shortId(bobsDm.id()), bobsDm.consentState());
        for (int i = 1; i <= spam; i++) {
            String text = "cheap tokens, offer #" + i;
            console.say("carol", "-> dm: %s", text);
            spamDm.send(text);
        }

        List<String> sentIds = new ArrayList<>();
        int midway = (messages + 1) / 2;
        for (int i = 1; i <= messages; i++) {
            sentIds.add(send("alice", group, "hello #" + i + " from alice"));
            sentIds.add(send("carol", carolsGroup, "hello #" + i + " from carol"));
            if (i == midway) {
                console.say(fault.who(), "%s", fault.announcement());
                fault.action().run();
            }
        }

        long deadline = System.nanoTime() + timeout.toNanos();
        boolean allArrived = tally.awaitReceived(group.id(), sentIds.size(), deadline);
        boolean restarted = messagesTrace.awaitRestart(deadline);
        if (!allArrived || !restarted) {
            console.say("demo", "gave up waiting after %d s: %d of %d group messages, restarted: %s",
                    timeout.toSeconds(), tally.received(group.id()), sentIds.size(), restarted);
        } else {
            console.say("bob", "has every group message");
        }

        bob.conversations().sync();
        int spamStored = bob.conversations().getConversationById(spamDm.id()).map(c -> c.messages().size()).orElse(0);
        console.say("bob", "after sync(): %d messages of the denied DM in bob's store (carol's copy holds %d)",
                spamStored, spamDm.messages().size());

        int lost = (int) sentIds.stream().filter(id -> !tally.contains(id)).count();
        int received = tally.received(group.id());
        int duplicates = tally.duplicates();
        MembershipChapter.Outcome membership = new MembershipChapter(console, this::name, timeout)
                .run(group, carolsGroup, carol.inboxId(), dave);
        return new DemoResult(sentIds.size(), received, duplicates, lost,
                spam, tally.received(spamDm.id()), spamStored,
                messagesTrace.errors(), messagesTrace.retries(), messagesTrace.restarts(), messagesTrace.failures(),
                membership);
    }

    private String send(String who, Conversation conversation, String text) {
        console.say(who, "-> %s: %s", labels.getOrDefault(conversation.id(), "conversation"), text);
        return conversation.send(text);
    }

    private void bobSeesConversation(Conversation conversation) {
        if (conversation instanceof Group group) {
            console.say("bob", "sees new group %s \"%s\" (%s), consent %s", Console.shortId(group.id()), group.name(),
                    group.memberInboxIds().stream().map(this::name).collect(Collectors.joining(", ")),
                    group.consentState());
            bobSawGroup.complete(group);
        } else if (conversation instanceof Dm dm) {
            console.say("bob", "sees new dm %s with %s, consent %s", Console.shortId(dm.id()), name(dm.peerInboxId()),
                    dm.consentState());
            bobSawDm.complete(dm);
        }
    }

    private void bobGetsMessage(DecodedMessage message) {
        tally.record(message, first -> console.say("bob", "%s %s from %s: %s", first ? "got" : "got DUPLICATE",
                labels.getOrDefault(message.conversationId(), Console.shortId(message.conversationId())),
                name(message.senderInboxId()), message.content() instanceof GroupUpdated update
                        ? MembershipChapter.describe(update, this::name) : message.content()));
    }

    private String name(String inboxId) {
        return names.getOrDefault(inboxId, Console.shortId(inboxId));
    }

    private <T> T await(CompletableFuture<T> future, String what) throws InterruptedException {
        try {
            return future.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            throw new IllegalStateException("bob's conversation stream did not show " + what + " within "
                    + timeout.toSeconds() + " s", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("waiting for " + what + " failed", e.getCause());
        }
    }
}
