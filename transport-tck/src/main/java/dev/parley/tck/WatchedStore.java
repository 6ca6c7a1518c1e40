package dev.parley.tck;

import dev.parley.ConsentRecord;
import dev.parley.DecodedMessage;
import dev.parley.core.store.ConversationRecord;
import dev.parley.core.store.MessageStore;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A client's real store, watched: it records the threads that call what may wait for the disk (writes,
 * reads of the file, a change of node history), and can hold up the writes of sent and received messages
 * until released. Reads the store answers from memory are not recorded. The first node history a store
 * adopts is not either: it is met while connecting, on the transport's thread, and only handed over to
 * the writer like any write; a change of history (which drops the old one at once) is.
 */
final class WatchedStore implements MessageStore {
    private final MessageStore store;
    private final Set<String> threads = ConcurrentHashMap.newKeySet();
    private final CountDownLatch release;

    /** @param held true: message writes wait until {@link #release()} (60 s at most) */
    WatchedStore(MessageStore store, boolean held) {
        this.store = store;
        this.release = new CountDownLatch(held ? 1 : 0);
    }

    /** Names of the threads that called what may wait for the disk. */
    Set<String> threads() {
        return Set.copyOf(threads);
    }

    void release() {
        release.countDown();
    }

    private void record() {
        threads.add(Thread.currentThread().getName());
    }

    private void holdIfAsked() {
        try {
            release.await(60, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public boolean putConversation(ConversationRecord conversation) {
        record();
        return store.putConversation(conversation);
    }

    @Override
    public Optional<ConversationRecord> conversation(String id) {
        return store.conversation(id);
    }

    @Override
    public List<ConversationRecord> conversations() {
        return store.conversations();
    }

    @Override
    public void putConsent(ConsentRecord consent) {
        record();
        store.putConsent(consent);
    }

    @Override
    public Optional<ConsentRecord> consent(String conversationId) {
        return store.consent(conversationId);
    }

    @Override
    public boolean putMessage(DecodedMessage message, long sequence) {
        record();
        holdIfAsked();
        return store.putMessage(message, sequence);
    }

    @Override
    public List<DecodedMessage> messages(String conversationId) {
        record();
        return store.messages(conversationId);
    }

    @Override
    public long cursor(String topic) {
        return store.cursor(topic);
    }

    @Override
    public void advanceCursor(String topic, long sequence) {
        record();
        store.advanceCursor(topic, sequence);
    }

    @Override
    public Map<String, Long> durableCursors(String stream) {
        record();
        return store.durableCursors(stream);
    }

    @Override
    public void advanceDurableCursor(String stream, String topic, long sequence) {
        record();
        store.advanceDurableCursor(stream, topic, sequence);
    }

    @Override
    public void inTransaction(String epoch, Runnable writes) {
        record();
        store.inTransaction(epoch, writes);
    }

    @Override
    public boolean persistent() {
        return store.persistent();
    }

    @Override
    public Optional<String> nodeEpoch() {
        return store.nodeEpoch();
    }

    @Override
    public String followedEpoch() {
        return store.followedEpoch();
    }

    @Override
    public boolean adoptEpoch(String epoch) {
        boolean changed = store.adoptEpoch(epoch);
        if (changed) {
            record();
        }
        return changed;
    }

    @Override
    public void close() {
        record();
        store.close();
    }
}
