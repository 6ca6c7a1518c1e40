package dev.parley.transport;

import dev.parley.TransportException;
import dev.parley.protocol.AddTopics;
import dev.parley.protocol.Cancel;
import dev.parley.protocol.ClientFrame;
import dev.parley.protocol.Demand;
import dev.parley.protocol.NodeFrame;
import dev.parley.protocol.RemoveTopics;
import dev.parley.spi.Subscription;
import dev.parley.spi.SubscriptionListener;

import java.util.Collection;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A subscription living on a {@link ClientFrameSession}; its id is the request id of its Subscribe
 * frame. It counts the demand it granted: a node sending more envelopes than that is a protocol
 * violation that ends the subscription (retryable) before the envelopes reach the listener, so a
 * misbehaving node cannot make the client buffer without bound.
 */
final class RemoteSubscription implements Subscription {
    final CompletableFuture<Subscription> opened = new CompletableFuture<>();
    private final long id;
    private final ClientFrameSession connection;
    private final SubscriptionListener listener;
    private final AtomicLong demand; // envelopes the node may still send: granted minus received

    RemoteSubscription(long id, ClientFrameSession connection, long initialDemand, SubscriptionListener listener) {
        this.id = id;
        this.connection = connection;
        this.demand = new AtomicLong(initialDemand);
        this.listener = listener;
    }

    /** A frame for this subscription, on the link's thread. */
    void onFrame(NodeFrame frame) {
        switch (frame.getBodyCase()) {
            case SUBSCRIBED -> opened.complete(this);
            case ENVELOPE -> {
                if (withinDemand(1)) {
                    listener.onEnvelope(Wire.fromWire(frame.getEnvelope()));
                }
            }
            case ENVELOPES -> {
                if (withinDemand(frame.getEnvelopes().getEnvelopesCount())) {
                    listener.onEnvelopes(Wire.fromWire(frame.getEnvelopes()));
                }
            }
            case HEARTBEAT -> listener.onHeartbeat();
            case ERROR -> {
                connection.forget(id);
                end(Wire.fromWire(frame.getError()));
            }
            case SUBSCRIPTION_CLOSED -> {
                connection.forget(id);
                if (!opened.completeExceptionally(new TransportException(
                        "the node closed the subscription before accepting it", true))) {
                    listener.onClosed();
                }
            }
            default -> { } // an answer this subscription does not need
        }
    }

    /** Uses up demand for {@code count} envelopes; past the demand granted, ends this subscription instead. */
    private boolean withinDemand(int count) {
        long left = demand.addAndGet(-count);
        if (left >= 0) {
            return true;
        }
        connection.forget(id); // whatever else the node sends for it is dropped
        cancel();
        end(new TransportException("node sent " + (-left) + " envelopes beyond the demand granted to subscription "
                + id + "; resubscribe", true));
        return false;
    }

    void connectionLost(Throwable reason) {
        end(reason);
    }

    private void end(Throwable reason) {
        if (!opened.completeExceptionally(reason)) {
            listener.onError(reason);
        }
    }

    @Override
    public CompletableFuture<Map<String, Long>> addTopics(Map<String, Long> cursors) {
        ClientFrame.Builder frame = ClientFrame.newBuilder().setAddTopics(AddTopics.newBuilder()
                .setSubscriptionId(id).addAllCursors(Wire.toWire(cursors)));
        return connection.request(frame, NodeFrame.BodyCase.TOPICS_ADDED)
                .thenApply(f -> Wire.fromWire(f.getTopicsAdded().getResolvedList()));
    }

    @Override
    public void removeTopics(Collection<String> topics) {
        connection.sendQuietly(ClientFrame.newBuilder().setRequestId(connection.newRequestId())
                .setRemoveTopics(RemoveTopics.newBuilder().setSubscriptionId(id).addAllTopics(topics)).build());
    }

    @Override
    public void request(long n) {
        if (n <= 0) {
            throw new IllegalArgumentException("demand must be positive, was " + n);
        }
        demand.addAndGet(n); // before the node can see it
        connection.sendQuietly(ClientFrame.newBuilder().setRequestId(id).setDemand(Demand.newBuilder().setN(n)).build());
    }

    @Override
    public void cancel() {
        connection.sendQuietly(ClientFrame.newBuilder().setRequestId(id).setCancel(Cancel.getDefaultInstance()).build());
    }
}
