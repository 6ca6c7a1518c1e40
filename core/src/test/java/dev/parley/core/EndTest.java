package dev.parley.core;

import dev.parley.Client;
import dev.parley.ClientOptions;
import dev.parley.DecodedMessage;
import dev.parley.Group;
import dev.parley.Identity;
import dev.parley.MessageStream;
import dev.parley.StreamState;
import dev.parley.node.Node;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

@Timeout(60)
class EndTest {
    @RegisterExtension
    final TestNode net = new TestNode();

    @RepeatedTest(5)
    void endFromAnotherThreadWaitsForTheRunningCallbackAndStopsAllOthers() throws Exception {
        Client alice = net.client();
        Client bob = net.client();
        Group group = alice.conversations().newGroup(List.of(bob.inboxId()));
        CountDownLatch inCallback = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Recorder<DecodedMessage> rec = new Recorder<>(m -> (String) m.content());
        MessageStream<DecodedMessage> stream = bob.conversations().streamAllMessages(rec.options()
                .onValue(m -> {
                    rec.events.add("value:" + m.content());
                    inCallback.countDown();
                    await().atMost(Duration.ofSeconds(20)).until(() -> release.getCount() == 0);
                }).build());
        for (int i = 0; i < 20; i++) {
            group.send("m" + i);
        }
        assertThat(inCallback.await(10, TimeUnit.SECONDS)).isTrue();
        CompletableFuture<Void> ending = CompletableFuture.runAsync(stream::end);
        await().during(Duration.ofMillis(200)).atMost(Duration.ofSeconds(2)).until(() -> !ending.isDone());
        release.countDown();
        ending.get(10, TimeUnit.SECONDS);
        List<String> atEnd = List.copyOf(rec.events);
        assertThat(atEnd).containsExactly("value:m0", "end");
        group.send("after");
        await().during(Duration.ofMillis(200)).atMost(Duration.ofSeconds(2)).until(() -> rec.events.equals(atEnd));
        assertThat(stream.state()).isEqualTo(StreamState.ENDED);
    }

    @RepeatedTest(5)
    void endFromInsideACallback() {
        Client alice = net.client();
        Client bob = net.client();
        Group group = alice.conversations().newGroup(List.of(bob.inboxId()));
        AtomicReference<MessageStream<DecodedMessage>> self = new AtomicReference<>();
        Recorder<DecodedMessage> rec = new Recorder<>(m -> (String) m.content());
        CountDownLatch started = new CountDownLatch(1);
        self.set(bob.conversations().streamAllMessages(rec.options()
                .onValue(m -> {
                    rec.events.add("value:" + m.content());
                    await().atMost(Duration.ofSeconds(10)).until(() -> started.getCount() == 0);
                    self.get().end(); // returns at once: we are inside the stream's own callback
                    rec.events.add("end() returned");
                }).build()));
        started.countDown();
        for (int i = 0; i < 10; i++) {
            group.send("m" + i);
        }
        rec.awaitEvent("end");
        await().during(Duration.ofMillis(200)).atMost(Duration.ofSeconds(2))
                .until(() -> rec.events.size() == 3);
        assertThat(rec.events).containsExactly("value:m0", "end() returned", "end");
        assertThat(self.get().isDone()).isTrue();
    }

    @Test
    void endTwiceRunsOnEndOnce() {
        Client bob = net.client();
        Recorder<DecodedMessage> rec = new Recorder<>(m -> (String) m.content());
        MessageStream<DecodedMessage> stream = bob.conversations().streamAllMessages(rec.options().build());
        stream.end();
        stream.end();
        stream.close();
        assertThat(rec.events).containsExactly("end");
    }

    @Test
    void clientCloseEndsStreamsAndLeavesNoThreadBehind() {
        long before = parleyThreads();
        try (Node node = Node.builder().name("end-threads").build().start()) {
            Client alice = Client.create(ClientOptions.builder().endpoint("inproc://end-threads")
                    .identity(Identity.generate()).build());
            Client bob = Client.create(ClientOptions.builder().endpoint("inproc://end-threads")
                    .identity(Identity.generate()).build());
            Recorder<DecodedMessage> rec = new Recorder<>(m -> (String) m.content());
            MessageStream<DecodedMessage> push = bob.conversations().streamAllMessages(rec.options().build());
            MessageStream<DecodedMessage> pull = bob.conversations().streamAllMessages();
            Group group = alice.conversations().newGroup(List.of(bob.inboxId()));
            group.send("x");
            rec.awaitValues(1);
            assertThat(parleyThreads()).isGreaterThan(before);
            bob.close();
            alice.close();
            assertThat(push.isDone()).isTrue();
            assertThat(pull.isDone()).isTrue();
            assertThat(rec.events).endsWith("end");
            assertThat(node.connectionCount()).isZero();
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> parleyThreads() == before);
    }

    private static long parleyThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(Thread::isAlive)
                .filter(t -> t.getName().startsWith("parley-"))
                .filter(t -> !t.getName().startsWith("parley-node-test-")) // the shared per-test node
                .count();
    }
}
