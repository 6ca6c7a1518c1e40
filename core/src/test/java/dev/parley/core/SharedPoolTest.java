package dev.parley.core;

import dev.parley.Client;
import dev.parley.DecodedMessage;
import dev.parley.Group;
import dev.parley.MessageStream;
import dev.parley.StreamOptions;
import dev.parley.internal.util.SharedThreads;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/** Callbacks on the pool every client shares that wait for other streams do not use the pool up. */
@Timeout(60)
class SharedPoolTest {
    @RegisterExtension
    final TestNode net = new TestNode();

    @RepeatedTest(5)
    void callbacksHoldingEverySharedThreadCanStillStartAndEndStreams() throws InterruptedException {
        int receivers = SharedThreads.SIZE; // one callback on each thread of the shared pool at once
        Client sender = net.client();
        List<Client> clients = IntStream.range(0, receivers).mapToObj(i -> net.client()).toList();
        CountDownLatch onEveryThread = new CountDownLatch(receivers);
        CountDownLatch done = new CountDownLatch(receivers);
        List<MessageStream<DecodedMessage>> streams = new ArrayList<>();
        for (Client client : clients) {
            streams.add(client.conversations().streamAllMessages(StreamOptions.<DecodedMessage>builder().onValue(m -> {
                onEveryThread.countDown();
                try {
                    if (onEveryThread.await(20, TimeUnit.SECONDS)) {
                        // both wait for work on the shared pool, whose threads all run callbacks like this one
                        client.conversations().streamAllMessages().end();
                        done.countDown();
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }).build()));
        }
        Group group = sender.conversations().newGroup(clients.stream().map(Client::inboxId).toList());

        group.send("start a stream");

        assertThat(onEveryThread.await(20, TimeUnit.SECONDS)).as("a callback on every shared thread").isTrue();
        assertThat(done.await(30, TimeUnit.SECONDS)).as("each started and ended a stream").isTrue();
        streams.forEach(MessageStream::end);
    }
}
