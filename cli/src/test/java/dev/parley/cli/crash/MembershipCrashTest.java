package dev.parley.cli.crash;

import dev.parley.Client;
import dev.parley.ClientOptions;
import dev.parley.DecodedMessage;
import dev.parley.Group;
import dev.parley.GroupUpdated;
import dev.parley.Identity;
import dev.parley.PermissionDeniedException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * Group membership lives in the node's store: a standalone node ({@code parley node --data-dir}, its
 * own JVM) is SIGKILLed right after membership changes were acknowledged and restarted on the same
 * data; members, admins, name and every member's window of the log are as they were.
 */
@Timeout(120)
class MembershipCrashTest {
    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    Path dataDir;
    private final List<AutoCloseable> resources = new ArrayList<>();
    private NodeProcess node;

    @AfterEach
    void cleanUp() throws Exception {
        for (int i = resources.size() - 1; i >= 0; i--) {
            resources.get(i).close();
        }
        if (node != null) {
            node.close();
        }
    }

    @Test
    void membershipChangesSurviveASigkilledNode() throws Exception {
        int port = NodeProcess.freePort();
        URI endpoint = NodeProcess.endpoint(port);
        node = NodeProcess.start(dataDir, port);
        Client alice = connect(endpoint);
        Client bob = connect(endpoint);
        Client carol = connect(endpoint);
        Identity daveIdentity = Identity.generate();

        Group group = alice.conversations().newGroup(List.of(bob.inboxId(), carol.inboxId()), "before");
        group.send("history dave must not see");
        group.addMembers(List.of(daveIdentity.inboxId()));
        group.removeMembers(List.of(carol.inboxId()));
        group.updateName("after");
        String lastBeforeKill = group.send("acknowledged before the kill");

        assertThat(node.kill()).isNotZero();
        node = NodeProcess.start(dataDir, port);

        Client dave = connect(endpoint, daveIdentity);
        Group daves = groupOf(dave, group.id());
        assertThat(daves.name()).isEqualTo("after");
        assertThat(daves.memberInboxIds()).containsExactlyInAnyOrder(alice.inboxId(), bob.inboxId(), dave.inboxId());
        assertThat(daves.adminInboxIds()).containsExactly(alice.inboxId());
        assertThat(daves.messages()).extracting(MembershipCrashTest::describe)
                .containsExactly("added", "removed", "renamed", "acknowledged before the kill");
        assertThat(daves.messages().get(3).id()).isEqualTo(lastBeforeKill);

        Group carols = groupOf(carol, group.id());
        assertThat(carols.isActive()).isFalse();
        assertThat(carols.messages()).extracting(MembershipCrashTest::describe)
                .containsExactly("history dave must not see", "added", "removed");
        assertThatThrownBy(() -> carols.send("back?")).isInstanceOf(PermissionDeniedException.class);

        Group bobs = groupOf(bob, group.id());
        assertThatThrownBy(() -> bobs.addMembers(List.of(carol.inboxId()))).as("bob is still no admin")
                .isInstanceOf(PermissionDeniedException.class);
        bobs.send("after the restart");
        group.removeMembers(List.of(bob.inboxId())); // alice is still the admin
        assertThat(groupOf(alice, group.id()).memberInboxIds())
                .containsExactlyInAnyOrder(alice.inboxId(), dave.inboxId());
    }

    private static String describe(DecodedMessage message) {
        if (message.content() instanceof GroupUpdated update) {
            return !update.addedInboxIds().isEmpty() ? "added" : !update.removedInboxIds().isEmpty() ? "removed"
                    : update.renamedTo().isPresent() ? "renamed" : "updated";
        }
        return String.valueOf(message.content());
    }

    /**
     * The group as {@code client} sees it after a sync (the first call after the restart may meet the
     * connection the kill broke: the client reconnects on the next one).
     */
    private static Group groupOf(Client client, String id) {
        return await().atMost(WAIT).ignoreExceptions().until(() -> {
            client.conversations().sync();
            return (Group) client.conversations().getConversationById(id).orElse(null);
        }, group -> group != null);
    }

    private Client connect(URI endpoint) {
        return connect(endpoint, Identity.generate());
    }

    private Client connect(URI endpoint, Identity identity) {
        Client client = Client.create(ClientOptions.builder().endpoint(endpoint).identity(identity)
                .requestTimeout(Duration.ofSeconds(5)).build());
        resources.add(client);
        return client;
    }
}
