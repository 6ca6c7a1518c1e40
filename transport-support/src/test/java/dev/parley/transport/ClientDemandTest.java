package dev.parley.transport;

import dev.parley.Identity;
import dev.parley.TransportException;
import dev.parley.protocol.ClientFrame;
import dev.parley.protocol.EnvelopeBatch;
import dev.parley.protocol.NodeFrame;
import dev.parley.protocol.WireEnvelope;
import dev.parley.spi.Envelope;
import dev.parley.spi.Subscription;
import dev.parley.spi.SubscriptionListener;
import dev.parley.spi.TransportConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The client counts the demand it granted: a node sending more ends the subscription, retryably, before anything is buffered. */
class ClientDemandTest {
    private static final String TOPIC = "conv/c";

    private final ScheduledThreadPoolExecutor timers = new ScheduledThreadPoolExecutor(1);
    private final ScriptedLinks links = new ScriptedLinks();
    private final List<Envelope> received = new CopyOnWriteArrayList<>();
    private final List<Throwable> errors = new CopyOnWriteArrayList<>();
    private long nextSequence = 1;

    @AfterEach
    void stopTimers() throws InterruptedException {
        timers.shutdownNow();
        assertThat(timers.awaitTermination(5, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void envelopesWithinTheDemandGrantedSoFarArriveAndOneMoreEndsTheSubscription() throws Exception {
        ClientFrameSession connection = openConnection();
        Subscription subscription = connection.subscribe(Map.of(TOPIC, 0L), 3, listener(), connection.deadlineFromNow()).get(5, TimeUnit.SECONDS);
        long id = subscriptionId();

        links.fromNode(batch(id, 2));
        links.fromNode(single(id));
        subscription.request(2);
        links.fromNode(batch(id, 2)); // 5 in all, 5 granted
        assertThat(received).hasSize(5);
        assertThat(errors).isEmpty();

        links.fromNode(single(id)); // the 6th: beyond the demand
        links.fromNode(batch(id, 100)); // and anything after it
        assertThat(received).as("nothing beyond the demand reaches the listener").hasSize(5);
        assertThat(errors).singleElement().isInstanceOfSatisfying(TransportException.class, e -> {
            assertThat(e.isRetryable()).isTrue();
            assertThat(e).hasMessageContaining("beyond the demand");
        });
        assertThat(links.sent).as("the client cancels the subscription at the node")
                .anyMatch(f -> f.getRequestId() == id && f.getBodyCase() == ClientFrame.BodyCase.CANCEL);
        assertThat(connection.isOpen()).as("other subscriptions and requests go on").isTrue();
    }

    @Test
    void aBatchLargerThanTheDemandIsRefusedWhole() throws Exception {
        ClientFrameSession connection = openConnection();
        connection.subscribe(Map.of(TOPIC, 0L), 4, listener(), connection.deadlineFromNow()).get(5, TimeUnit.SECONDS);

        links.fromNode(batch(subscriptionId(), 5));

        assertThat(received).isEmpty();
        assertThat(errors).singleElement().isInstanceOf(TransportException.class);
    }

    private ClientFrameSession openConnection() throws Exception {
        TransportConfig config = TransportConfig.builder().authenticator(Identity.generate())
                .requestTimeout(Duration.ofSeconds(5)).build();
        return new ClientFrameSession(links, config, timers, new TicketHolder()).open().get(5, TimeUnit.SECONDS);
    }

    private long subscriptionId() {
        return links.sent.stream().filter(f -> f.getBodyCase() == ClientFrame.BodyCase.SUBSCRIBE)
                .reduce((a, b) -> b).orElseThrow().getRequestId();
    }

    private NodeFrame single(long id) {
        return NodeFrame.newBuilder().setRequestId(id).setEnvelope(envelope()).build();
    }

    private NodeFrame batch(long id, int count) {
        EnvelopeBatch.Builder batch = EnvelopeBatch.newBuilder();
        for (int i = 0; i < count; i++) {
            batch.addEnvelopes(envelope());
        }
        return NodeFrame.newBuilder().setRequestId(id).setEnvelopes(batch).build();
    }

    private WireEnvelope envelope() {
        long sequence = nextSequence++;
        return Wire.toWire(new Envelope(TOPIC, sequence, sequence, ("m" + sequence).getBytes(StandardCharsets.UTF_8),
                "k" + sequence, "sender"));
    }

    private SubscriptionListener listener() {
        return new SubscriptionListener() {
            @Override
            public void onEnvelope(Envelope envelope) {
                received.add(envelope);
            }

            @Override
            public void onError(Throwable error) {
                errors.add(error);
            }
        };
    }
}
