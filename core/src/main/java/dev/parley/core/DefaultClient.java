package dev.parley.core;

import dev.parley.Client;
import dev.parley.Conversations;
import dev.parley.Preferences;
import dev.parley.core.conversation.ClientServices;
import dev.parley.core.conversation.DefaultConversations;

import java.util.concurrent.atomic.AtomicBoolean;

/** The client: an authenticated transport plus the services built on it. */
final class DefaultClient implements Client {
    private final String inboxId;
    private final ClientServices services;
    private final DefaultConversations conversations;
    private final AtomicBoolean closed = new AtomicBoolean();

    DefaultClient(String inboxId, ClientServices services) {
        this.inboxId = inboxId;
        this.services = services;
        this.conversations = new DefaultConversations(services);
    }

    @Override
    public String inboxId() {
        return inboxId;
    }

    @Override
    public Conversations conversations() {
        return conversations;
    }

    @Override
    public Preferences preferences() {
        return conversations;
    }

    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            services.close();
        }
    }

    @Override
    public String toString() {
        return "Client[" + inboxId + "]";
    }
}
