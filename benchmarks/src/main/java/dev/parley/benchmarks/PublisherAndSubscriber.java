package dev.parley.benchmarks;

import dev.parley.Client;
import dev.parley.ClientOptions;
import dev.parley.Identity;
import dev.parley.internal.Topics;
import dev.parley.node.Node;
import dev.parley.spi.Transport;

import java.util.List;
import java.util.function.UnaryOperator;

/**
 * What the stream benchmarks start from: a node serving one transport, a subscriber client, and a
 * bare authenticated transport of a second inbox that created {@code conversations} groups with the
 * subscriber and publishes into them (no client, store or stream on the publishing side).
 */
final class PublisherAndSubscriber implements AutoCloseable {
    final Node node;
    final Client subscriber;
    final Transport publisher;
    final List<String> conversationIds;

    PublisherAndSubscriber(String transport, int conversations) throws InterruptedException {
        this(transport, conversations, options -> options);
    }

    /** With {@code subscriberOptions} on top of endpoint and identity (a database, a cache bound). */
    PublisherAndSubscriber(String transport, int conversations, UnaryOperator<ClientOptions.Builder> subscriberOptions)
            throws InterruptedException {
        this(transport, "memory:", conversations, subscriberOptions);
    }

    /** With the node's log in {@code nodeStore} (a node store URI). */
    PublisherAndSubscriber(String transport, String nodeStore, int conversations,
                           UnaryOperator<ClientOptions.Builder> subscriberOptions) throws InterruptedException {
        node = Bench.node(transport, nodeStore);
        publisher = Bench.transport(node, transport, Identity.generate());
        subscriber = Bench.client(node, transport, Identity.generate(), subscriberOptions);
        conversationIds = Bench.createGroups(publisher, List.of(subscriber.inboxId()), conversations);
    }

    /** The topic of conversation {@code n}, round robin over the conversations. */
    String topic(long n) {
        return Topics.conversation(conversationIds.get((int) (n % conversationIds.size())));
    }

    @Override
    public void close() {
        publisher.close();
        subscriber.close();
        node.close();
    }
}
