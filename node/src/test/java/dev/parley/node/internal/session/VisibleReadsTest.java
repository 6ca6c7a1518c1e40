package dev.parley.node.internal.session;

import dev.parley.ConversationType;
import dev.parley.node.internal.access.AccessPolicy;
import dev.parley.node.internal.access.ConversationDirectory;
import dev.parley.node.internal.group.GroupUpdateChange;
import dev.parley.node.internal.store.MemoryNodeStoreProvider;
import dev.parley.node.store.ConversationEntry;
import dev.parley.node.store.NodeStore;
import dev.parley.spi.Envelope;
import dev.parley.spi.GroupChange;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.net.URI;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** Reads clipped to an inbox's memberships, also when a removal lands while the read is under way. */
class VisibleReadsTest {
    private static final String TOPIC = "conv/c1";
    private final NodeStore memory = new MemoryNodeStoreProvider().open(URI.create("memory:/"));
    /** Runs just before the next read of the log, once. */
    private Runnable beforeRead = () -> { };
    private final NodeStore store = (NodeStore) Proxy.newProxyInstance(getClass().getClassLoader(),
            new Class<?>[] {NodeStore.class}, (proxy, method, args) -> {
                if (method.getName().equals("read")) {
                    Runnable hook = beforeRead;
                    beforeRead = () -> { };
                    hook.run();
                }
                try {
                    return method.invoke(memory, args);
                } catch (InvocationTargetException e) {
                    throw e.getCause();
                }
            });
    private final ConversationDirectory directory = new ConversationDirectory(store);
    private final VisibleReads reads = new VisibleReads(store, new AccessPolicy(directory));

    @BeforeEach
    void group() {
        join(memory.putConversation(new ConversationEntry("c1", ConversationType.GROUP, Set.of("a", "b"), "a", 1, "g")));
    }

    @AfterEach
    void close() {
        memory.close();
    }

    private static <T> T join(CompletableFuture<T> f) {
        return f.orTimeout(10, TimeUnit.SECONDS).join();
    }

    private void send(String key) {
        join(memory.appendToConversation("c1", key.getBytes(), key, "a"));
    }

    private long remove(String inbox, String key) {
        GroupChange change = new GroupChange("c1", List.of(), List.of(inbox), false, Optional.empty(), key);
        return join(memory.changeConversation("c1", new GroupUpdateChange("a", change, 100, directory), key, "a"))
                .orElseThrow().envelope().sequence();
    }

    private static List<Long> sequences(VisibleReads.Page page) {
        return page.envelopes().stream().map(Envelope::sequence).toList();
    }

    @Test
    void aRemovalThatLandsDuringTheReadEndsThePageAtItsEntry() {
        send("m1");
        send("m2");
        assertThat(directory.isMember("c1", "b")).isTrue(); // cached: the read's first look says "open"
        beforeRead = () -> {
            remove("b", "rm");
            send("m4");
        };

        VisibleReads.Page page = reads.read("b", TOPIC, 0, 100);

        assertThat(sequences(page)).containsExactly(1L, 2L, 3L);
        assertThat(page.exhausted()).isTrue();
        assertThat(sequences(reads.read("a", TOPIC, 0, 100))).containsExactly(1L, 2L, 3L, 4L);
    }

    @Test
    void aPageStopsAtTheEndOfASpanAndACursorInAGapGoesOnAtTheNextOne() {
        send("m1");
        remove("b", "rm");                                   // 2
        send("m3");
        GroupChange add = new GroupChange("c1", List.of("b"), List.of(), false, Optional.empty(), "add");
        join(memory.changeConversation("c1", new GroupUpdateChange("a", add, 100, directory), "add", "a")); // 4
        send("m5");

        VisibleReads.Page first = reads.read("b", TOPIC, 0, 100);
        assertThat(sequences(first)).containsExactly(1L, 2L);
        assertThat(first.exhausted()).isFalse();
        assertThat(sequences(reads.read("b", TOPIC, 2, 100))).containsExactly(4L, 5L);
        assertThat(sequences(reads.read("b", TOPIC, 3, 1))).containsExactly(4L);
        assertThat(reads.read("c", TOPIC, 0, 100).exhausted()).isTrue();
    }
}
