package dev.parley.node.internal.access;

import dev.parley.ConversationType;
import dev.parley.node.internal.store.MemoryNodeStoreProvider;
import dev.parley.node.store.ConversationChange;
import dev.parley.node.store.ConversationEntry;
import dev.parley.node.store.NodeStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.net.URI;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;

/** The directory's cache is never older than the changes pinned in it. */
class ConversationDirectoryTest {
    private final NodeStore memory = new MemoryNodeStoreProvider().open(URI.create("memory:/"));
    /** Runs during the next store read of a conversation, once. */
    private Runnable duringRead = () -> { };
    /** What the directory registered to hear of changes made by other nodes. */
    private Consumer<String> changedElsewhere;
    private int reads;
    private final NodeStore store = (NodeStore) Proxy.newProxyInstance(getClass().getClassLoader(),
            new Class<?>[] {NodeStore.class}, (proxy, method, args) -> {
                if (method.getName().equals("onConversationChanged")) {
                    @SuppressWarnings("unchecked")
                    Consumer<String> listener = (Consumer<String>) args[0];
                    changedElsewhere = listener;
                    return null;
                }
                if (method.getName().equals("conversation")) {
                    reads++;
                    Runnable hook = duringRead;
                    duringRead = () -> { };
                    Object read = method.invoke(memory, args);
                    hook.run();
                    return read;
                }
                try {
                    return method.invoke(memory, args);
                } catch (InvocationTargetException e) {
                    throw e.getCause();
                }
            });
    private final ConversationDirectory directory = new ConversationDirectory(store);
    private final ConversationEntry created = new ConversationEntry("c1", ConversationType.GROUP, Set.of("a", "b"),
            "a", 1, "g");
    private final ConversationEntry withoutB = created.changedAt(5, List.of(), List.of("b"), Set.of("a"), "g");

    @AfterEach
    void close() {
        memory.close();
    }

    @Test
    void aPinnedChangeIsSeenBeforeTheStoreHasItAndADroppedOneIsForgotten() {
        memory.putConversation(created).orTimeout(10, TimeUnit.SECONDS).join();
        assertThat(directory.isMember("c1", "b")).isTrue();

        directory.pin(withoutB);

        assertThat(directory.isMember("c1", "b")).isFalse();
        assertThat(directory.wasEverMember("c1", "b")).isTrue();
        directory.drop("c1");
        assertThat(directory.find("c1")).contains(created); // what the store has
    }

    @Test
    void anOlderEntryReadFromTheStoreNeverReplacesANewerOne() {
        memory.putConversation(created).orTimeout(10, TimeUnit.SECONDS).join();
        duringRead = () -> directory.pin(withoutB);

        assertThat(directory.find("c1")).contains(withoutB);
        directory.unpin("c1");
        assertThat(directory.find("c1")).contains(withoutB);
    }

    /** Another node sharing the store removes b: the directory here did not pin it. */
    private void removeBElsewhere() {
        memory.changeConversation("c1", (current, sequence) -> Optional.of(new ConversationChange.Outcome(
                current.changedAt(sequence, List.of(), List.of("b"), Set.of("a"), "g"), new byte[0], List.of())),
                "remove-b", "a").orTimeout(10, TimeUnit.SECONDS).join();
    }

    @Test
    void aChangeByAnotherNodeDropsTheCachedEntry() {
        memory.putConversation(created).orTimeout(10, TimeUnit.SECONDS).join();
        assertThat(directory.isMember("c1", "b")).isTrue();
        removeBElsewhere();
        assertThat(directory.isMember("c1", "b")).as("cached until the store says otherwise").isTrue();

        changedElsewhere.accept("c1");

        assertThat(directory.isMember("c1", "b")).isFalse();
        assertThat(directory.wasEverMember("c1", "b")).isTrue();
    }

    @Test
    void aReadUnderwayWhenAChangeElsewhereIsHeardIsNotCached() {
        memory.putConversation(created).orTimeout(10, TimeUnit.SECONDS).join();
        duringRead = () -> {
            removeBElsewhere();
            changedElsewhere.accept("c1");
        };

        assertThat(directory.isMember("c1", "b")).isTrue(); // the read began before the change
        int readsBefore = reads;
        assertThat(directory.isMember("c1", "b")).isFalse();
        assertThat(reads).isEqualTo(readsBefore + 1);
    }
}
