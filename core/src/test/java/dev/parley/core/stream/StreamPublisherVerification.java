package dev.parley.core.stream;

import dev.parley.ConversationType;
import dev.parley.Identity;
import dev.parley.MessageStream;
import dev.parley.StreamOptions;
import dev.parley.StreamState;
import dev.parley.core.transport.TransportRegistry;
import dev.parley.internal.Topics;
import dev.parley.node.Node;
import dev.parley.spi.Envelope;
import dev.parley.spi.Transport;
import dev.parley.spi.TransportConfig;
import org.reactivestreams.tck.TestEnvironment;
import org.reactivestreams.tck.flow.FlowPublisherVerification;
import org.testng.annotations.AfterClass;
import org.testng.annotations.BeforeClass;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.awaitility.Awaitility.await;

/**
 * The Reactive Streams TCK ({@code PublisherVerification}) against {@link MessageStream#asPublisher()}
 * of real streams over a real node (in-process transport). TestNG; run by {@link StreamPublisherTckTest}.
 * A stream of exactly N values: N messages in a new conversation, then an end marker on which the
 * test plan completes the stream. "Unbounded" (N ≥ 1,000): 100 messages and no marker.
 */
public class StreamPublisherVerification extends FlowPublisherVerification<String> {
    private static final String END = "end-of-test-stream";
    private static final AtomicInteger NODES = new AtomicInteger();

    private Node node;
    private Transport publisher;
    private Transport subscriber;
    private StreamThreads threads;
    private StreamRuntime runtime;

    public StreamPublisherVerification() {
        super(new TestEnvironment(5_000, 100));
    }

    @BeforeClass
    public void startNode() {
        node = Node.builder().name("rs-tck-" + NODES.incrementAndGet()).build().start();
        Identity identity = Identity.generate();
        publisher = connect(identity);
        subscriber = connect(identity);
        threads = new StreamThreads(null);
        runtime = new StreamRuntime(subscriber, threads.pool(), threads.scheduler(), new Random(), Duration.ofSeconds(15),
                Duration.ofSeconds(10));
    }

    @AfterClass(alwaysRun = true)
    public void stopNode() {
        runtime.close();
        threads.close();
        subscriber.close();
        publisher.close();
        node.close();
    }

    @Override
    public Flow.Publisher<String> createFlowPublisher(long elements) {
        boolean bounded = elements < 1_000;
        String topic = newConversation();
        for (int i = 0; i < (bounded ? elements : 100); i++) {
            publish(topic, "m" + i);
        }
        if (bounded) {
            publish(topic, END);
        }
        return runtime.start(new UntilMarker(topic), StreamOptions.<String>builder().disableSync(true).build())
                .asPublisher();
    }

    @Override
    public Flow.Publisher<String> createFailedFlowPublisher() {
        String topic = newConversation();
        MessageStream<String> stream = runtime.start(new UntilMarker(topic),
                StreamOptions.<String>builder().disableSync(true).retryOnFail(false).build());
        node.dropConnections(); // the stream may not retry: it fails
        await().atMost(10, TimeUnit.SECONDS).until(() -> stream.state() == StreamState.FAILED);
        return stream.asPublisher();
    }

    private Transport connect(Identity identity) {
        return TransportRegistry.forScheme("inproc").connect(node.endpoint("inproc"),
                TransportConfig.builder().authenticator(identity).build());
    }

    private String newConversation() {
        return Topics.conversation(publisher.createConversation(ConversationType.GROUP, List.of(), "").join());
    }

    private void publish(String topic, String text) {
        publisher.publish(topic, text.getBytes(StandardCharsets.UTF_8), topic + "#" + text).join();
    }

    /** One topic from its start; each message is a value until the end marker, which completes the stream. */
    private static final class UntilMarker implements StreamPlan<String> {
        private final String topic;

        UntilMarker(String topic) {
            this.topic = topic;
        }

        @Override
        public CompletableFuture<Void> catchUp() {
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public Map<String, Long> initialCursors() {
            return Map.of(topic, 0L);
        }

        @Override
        public void onEnvelope(Envelope envelope, StreamContext<String> context) {
            String text = new String(envelope.payload(), StandardCharsets.UTF_8);
            if (text.equals(END)) {
                context.complete();
            } else {
                context.emit(text);
            }
        }

        @Override
        public void processed(String topic, long sequence) {
        }
    }
}
