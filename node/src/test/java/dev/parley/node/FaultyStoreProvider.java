package dev.parley.node;

import dev.parley.node.internal.store.ForwardingNodeStore;
import dev.parley.node.internal.store.MemoryNodeStoreProvider;
import dev.parley.node.store.Appended;
import dev.parley.node.store.ConversationChange;
import dev.parley.node.store.NodeStore;
import dev.parley.node.store.NodeStoreProvider;
import dev.parley.node.store.StoreException;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.net.URI;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * {@code faulty:}, for tests: a memory store whose appends and {@link NodeStore#probe() probes} fail with a
 * {@link StoreException} while {@link #FAILING}.
 */
public final class FaultyStoreProvider implements NodeStoreProvider {
    /** Whether the store fails now; {@code @ExtendWith(FaultyStoreProvider.Reset.class)} sets it back after each test. */
    public static final AtomicBoolean FAILING = new AtomicBoolean();

    @Override
    public String scheme() {
        return "faulty";
    }

    private static <T> CompletableFuture<T> failure() {
        return CompletableFuture.failedFuture(new StoreException("cannot store in /secret/path: disk full"));
    }

    @Override
    public NodeStore open(URI uri) {
        return new ForwardingNodeStore(new MemoryNodeStoreProvider().open(URI.create("memory:/"))) {
            @Override
            public CompletableFuture<Appended> append(String topic, byte[] payload, String key, String sender) {
                return FAILING.get() ? failure() : super.append(topic, payload, key, sender);
            }

            @Override
            public CompletableFuture<Appended> appendToConversation(String conversationId, byte[] payload, String key,
                                                                    String sender) {
                return FAILING.get() ? failure() : super.appendToConversation(conversationId, payload, key, sender);
            }

            @Override
            public CompletableFuture<Optional<Appended>> changeConversation(String conversationId,
                                                                            ConversationChange change, String key,
                                                                            String sender) {
                return FAILING.get() ? failure() : super.changeConversation(conversationId, change, key, sender);
            }

            @Override
            public void probe() {
                if (FAILING.get()) {
                    throw new StoreException("cannot read /secret/path: I/O error");
                }
            }
        };
    }

    /** Sets {@link #FAILING} back to false after each test. */
    public static final class Reset implements AfterEachCallback {
        @Override
        public void afterEach(ExtensionContext context) {
            FAILING.set(false);
        }
    }
}
