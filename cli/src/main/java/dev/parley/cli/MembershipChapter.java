package dev.parley.cli;

import dev.parley.Client;
import dev.parley.Conversation;
import dev.parley.DecodedMessage;
import dev.parley.Group;
import dev.parley.GroupUpdated;
import dev.parley.MessageStream;
import dev.parley.PermissionDeniedException;
import dev.parley.StreamOptions;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The demo's membership chapter: while dave streams all his messages and carol streams the group,
 * alice adds dave and removes carol. Dave's running stream picks the group up from his addition on;
 * carol gets her removal last, her group stream ends, and her next send is refused.
 */
final class MembershipChapter {
    /** What the chapter saw. */
    record Outcome(int daveReceived, int daveExpected, boolean daveSawHistory, boolean carolGotRemovalLast,
                   boolean carolStreamEnded, boolean carolSendRefused) {
        boolean ok() {
            return daveReceived == daveExpected && !daveSawHistory && carolGotRemovalLast && carolStreamEnded
                    && carolSendRefused;
        }
    }

    private final Console console;
    private final Function<String, String> names;
    private final Duration timeout;

    MembershipChapter(Console console, Function<String, String> names, Duration timeout) {
        this.console = console;
        this.names = names;
        this.timeout = timeout;
    }

    /** How a group update reads in the demo's lines, e.g. {@code alice added dave}. */
    static String describe(GroupUpdated update, Function<String, String> names) {
        String who = names.apply(update.initiatedByInboxId());
        List<String> parts = new ArrayList<>();
        if (!update.addedInboxIds().isEmpty()) {
            parts.add("added " + list(update.addedInboxIds(), names));
        }
        if (!update.removedInboxIds().isEmpty()) {
            parts.add("removed " + list(update.removedInboxIds(), names));
        }
        if (!update.leftInboxIds().isEmpty()) {
            parts.add("left");
        }
        update.renamedTo().ifPresent(name -> parts.add("renamed the group \"" + name + "\""));
        return "[" + who + " " + String.join(", ", parts) + "]";
    }

    private static String list(List<String> inboxIds, Function<String, String> names) {
        return inboxIds.stream().map(names).collect(Collectors.joining(", "));
    }

    Outcome run(Group alicesGroup, Conversation carolsGroup, String carolInboxId, Client dave)
            throws InterruptedException {
        String groupId = alicesGroup.id();
        List<DecodedMessage> daves = new CopyOnWriteArrayList<>();
        List<DecodedMessage> carols = new CopyOnWriteArrayList<>();
        CountDownLatch carolEnded = new CountDownLatch(1);
        CountDownLatch daveGotAll = new CountDownLatch(3);
        try (MessageStream<DecodedMessage> daveStream = dave.conversations().streamAllMessages(
                StreamOptions.<DecodedMessage>builder().onValue(m -> {
                    if (m.conversationId().equals(groupId)) {
                        daves.add(m);
                        console.say("dave", "got group: %s", label(m));
                        daveGotAll.countDown();
                    }
                }).build());
             MessageStream<DecodedMessage> carolStream = carolsGroup.stream(StreamOptions.<DecodedMessage>builder()
                     .onValue(carols::add)
                     .onEnd(carolEnded::countDown)
                     .build())) {
            console.say("dave", "streaming all his messages (%s), not in the group yet", daveStream.state());
            console.say("carol", "streaming the group (%s)", carolStream.state());

            alicesGroup.addMembers(List.of(dave.inboxId()));
            console.say("alice", "added dave to the group: members %s", list(alicesGroup.memberInboxIds(), names));
            alicesGroup.removeMembers(List.of(carolInboxId));
            console.say("alice", "removed carol for spamming bob: members %s", list(alicesGroup.memberInboxIds(), names));
            boolean refused = false;
            try {
                carolsGroup.send("am I still in?");
            } catch (PermissionDeniedException e) {
                refused = true;
                console.say("carol", "send refused: %s", e.getMessage());
            }
            alicesGroup.send("welcome dave");
            console.say("alice", "-> group: welcome dave");

            boolean daveDone = daveGotAll.await(timeout.toNanos(), TimeUnit.NANOSECONDS);
            boolean carolDone = carolEnded.await(timeout.toNanos(), TimeUnit.NANOSECONDS);
            if (carolDone) {
                console.say("carol", "her group stream ended after %d values, the last: %s", carols.size(),
                        carols.isEmpty() ? "none" : label(carols.get(carols.size() - 1)));
            }
            if (!daveDone || !carolDone) {
                console.say("demo", "gave up waiting for the membership chapter after %d s", timeout.toSeconds());
            }
            boolean daveSawHistory = daves.stream().anyMatch(m -> m.content() instanceof String text
                    && text.startsWith("hello #"));
            boolean carolGotRemovalLast = !carols.isEmpty()
                    && carols.get(carols.size() - 1).content() instanceof GroupUpdated update
                    && update.removedInboxIds().contains(carolInboxId);
            return new Outcome(daves.size(), 3, daveSawHistory, carolGotRemovalLast, carolDone, refused);
        }
    }

    private String label(DecodedMessage message) {
        return message.content() instanceof GroupUpdated update ? describe(update, names)
                : names.apply(message.senderInboxId()) + ": " + message.content();
    }
}
