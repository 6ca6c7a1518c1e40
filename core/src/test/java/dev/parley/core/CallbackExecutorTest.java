package dev.parley.core;

import dev.parley.Client;
import dev.parley.DecodedMessage;
import dev.parley.Group;
import dev.parley.Identity;
import dev.parley.MessageStream;
import dev.parley.StreamOptions;
import dev.parley.internal.util.NamedThreads;
import dev.parley.internal.util.SharedThreads;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code ClientOptions.Builder.callbackExecutor}: callbacks that block stay off the pool every client shares. */
@Timeout(60)
class CallbackExecutorTest {
    @RegisterExtension
    final TestNode net = new TestNode();

    private final ExecutorService application = Executors.newCachedThreadPool(NamedThreads.daemon("app-callbacks"));
    private final CountDownLatch release = new CountDownLatch(1);

    @AfterEach
    void stopApplicationThreads() throws InterruptedException {
        release.countDown();
        application.shutdown();
        assertThat(application.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
    }

    @RepeatedTest(5)
    void callbacksBlockedOnTheApplicationsExecutorDoNotStallAnotherClientsStream() throws InterruptedException {
        int blocking = SharedThreads.SIZE + 1; // more than the shared pool has threads
        Client sender = net.client();
        List<Client> blocked = IntStream.range(0, blocking)
                .mapToObj(i -> net.client(Identity.generate(), o -> o.callbackExecutor(application))).toList();
        Client free = net.client();
        CountDownLatch entered = new CountDownLatch(blocking);
        StreamOptions<DecodedMessage> blockingOptions = StreamOptions.<DecodedMessage>builder().onValue(m -> {
            entered.countDown();
            awaitQuietly(release);
        }).build();
        List<MessageStream<DecodedMessage>> streams = new ArrayList<>();
        blocked.forEach(c -> streams.add(c.conversations().streamAllMessages(blockingOptions)));
        CountDownLatch freeDelivered = new CountDownLatch(1);
        streams.add(free.conversations().streamAllMessages(StreamOptions.<DecodedMessage>builder()
                .onValue(m -> freeDelivered.countDown()).build()));
        List<String> members = new ArrayList<>(blocked.stream().map(Client::inboxId).toList());
        members.add(free.inboxId());
        Group group = sender.conversations().newGroup(members);

        group.send("hello");

        assertThat(entered.await(20, TimeUnit.SECONDS)).as("every blocking callback is running").isTrue();
        assertThat(freeDelivered.await(20, TimeUnit.SECONDS)).as("the other client's stream delivered").isTrue();
        assertThat(release.getCount()).as("while the blocking callbacks still block").isEqualTo(1);
        release.countDown();
        streams.forEach(MessageStream::end);
    }

    @RepeatedTest(5)
    void callbacksOfOneStreamRunOnTheApplicationsExecutorOneAtATimeInOrder() {
        Client sender = net.client();
        Client receiver = net.client(Identity.generate(), o -> o.callbackExecutor(application));
        List<String> values = new CopyOnWriteArrayList<>();
        List<String> threads = new CopyOnWriteArrayList<>();
        AtomicInteger running = new AtomicInteger();
        AtomicInteger mostAtOnce = new AtomicInteger();
        CountDownLatch all = new CountDownLatch(50);
        MessageStream<DecodedMessage> stream = receiver.conversations().streamAllMessages(StreamOptions
                .<DecodedMessage>builder().onValue(m -> {
                    mostAtOnce.accumulateAndGet(running.incrementAndGet(), Math::max);
                    values.add((String) m.content());
                    threads.add(Thread.currentThread().getName());
                    running.decrementAndGet();
                    all.countDown();
                }).build());
        Group group = sender.conversations().newGroup(List.of(receiver.inboxId()));
        for (int i = 0; i < 50; i++) {
            group.send("m" + i);
        }
        awaitQuietly(all);
        stream.end();
        assertThat(values).containsExactlyElementsOf(IntStream.range(0, 50).mapToObj(i -> "m" + i).toList());
        assertThat(mostAtOnce.get()).isEqualTo(1);
        assertThat(threads).allSatisfy(name -> assertThat(name).startsWith("app-callbacks-"));
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            assertThat(latch.await(20, TimeUnit.SECONDS)).isTrue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
