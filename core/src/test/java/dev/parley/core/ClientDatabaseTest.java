package dev.parley.core;

import dev.parley.Client;
import dev.parley.ConsentState;
import dev.parley.Conversation;
import dev.parley.DecodedMessage;
import dev.parley.Group;
import dev.parley.Identity;
import dev.parley.LocalStoreException;
import dev.parley.MessageStream;
import dev.parley.StreamOptions;
import dev.parley.core.codec.Codecs;
import dev.parley.core.conversation.ClientServices;
import dev.parley.core.store.sqlite.SqliteMessageStore;
import dev.parley.core.transport.TransportRegistry;
import dev.parley.internal.Topics;
import dev.parley.spi.Transport;
import dev.parley.spi.TransportConfig;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** A client with {@code dbPath}: what survives a restart, what is never stored, how writes are batched. */
@Timeout(60)
class ClientDatabaseTest {
    @RegisterExtension
    final TestNode net = new TestNode();

    @TempDir
    Path dir;

    private final Identity bobId = Identity.generate();
    private Path file;
    private Client alice;

    @BeforeEach
    void alice() {
        file = dir.resolve("bob.db");
        alice = net.client();
    }

    private Client withDb(Identity identity, Path file) {
        return net.client(identity, options -> options.dbPath(file));
    }

    private static List<String> texts(Conversation conversation) {
        return conversation.messages().stream().map(m -> (String) m.content()).toList();
    }

    @Test
    void reopeningGivesBackConversationsMessagesAndConsentThenSyncFetchesOnlyWhatIsNew() {
        Client bob = withDb(bobId, file);
        Group group = alice.conversations().newGroup(List.of(bob.inboxId()));
        IntStream.rangeClosed(1, 3).forEach(i -> group.send("m" + i));
        bob.conversations().sync();
        bob.conversations().getConversationById(group.id()).orElseThrow().updateConsentState(ConsentState.ALLOWED);
        bob.close();

        // reopened over a transport that records queries: everything is there before any of them
        CountingTransportProvider.QUERIES.clear();
        Client again = net.client(bobId, options -> options.dbPath(file)
                .endpoint(URI.create("count://" + URI.create(net.endpoint()).getAuthority())));
        Conversation stored = again.conversations().getConversationById(group.id()).orElseThrow();
        assertThat(again.conversations().list()).containsExactly(stored);
        assertThat(texts(stored)).containsExactly("m1", "m2", "m3");
        assertThat(again.preferences().consentState(group.id())).isEqualTo(ConsentState.ALLOWED);
        assertThat(CountingTransportProvider.QUERIES).isEmpty();

        group.send("m4");
        again.conversations().sync();

        assertThat(texts(stored)).containsExactly("m1", "m2", "m3", "m4");
        assertThat(CountingTransportProvider.QUERIES)
                .filteredOn(q -> q.topic().equals(Topics.conversation(group.id())))
                .extracting(CountingTransportProvider.Query::after)
                .containsExactly(3L, 4L); // from the stored cursor; the empty page after m4 ends the topic
    }

    @Test
    void messagesOfADeniedConversationAreNeverStored() {
        Client bob = withDb(bobId, file);
        Group spam = alice.conversations().newGroup(List.of(bob.inboxId()));
        Group friends = alice.conversations().newGroup(List.of(bob.inboxId()));
        spam.send("before");
        bob.conversations().sync();
        bob.conversations().getConversationById(spam.id()).orElseThrow().updateConsentState(ConsentState.DENIED);
        AtomicInteger streamed = new AtomicInteger();
        try (MessageStream<DecodedMessage> all = bob.conversations().streamAllMessages(StreamOptions.<DecodedMessage>builder()
                .consentStates(ConsentState.ALLOWED, ConsentState.UNKNOWN, ConsentState.DENIED)
                .onValue(m -> streamed.incrementAndGet())
                .build())) {
            spam.send("spam 1");
            spam.send("spam 2");
            friends.send("hello");
            await().atMost(Duration.ofSeconds(10)).until(() -> streamed.get() >= 3);
        }
        bob.conversations().sync();
        bob.close();

        Client again = withDb(bobId, file);
        // what was stored before the denial stays; nothing after it is stored
        assertThat(texts(again.conversations().getConversationById(spam.id()).orElseThrow())).containsExactly("before");
        assertThat(texts(again.conversations().getConversationById(friends.id()).orElseThrow()))
                .containsExactly("hello");
    }

    @Test
    void aDeliveredRunIsOneTransaction() {
        SqliteMessageStore store = SqliteMessageStore.open(file, bobId.inboxId(), new Codecs(List.of()));
        Client bob = clientOn(store, bobId);
        try {
            Group group = alice.conversations().newGroup(List.of(bob.inboxId()));
            bob.conversations().sync(); // knows the group, no messages yet
            int messages = 2_000;
            IntStream.rangeClosed(1, messages).forEach(i -> group.send("m" + i));
            long before = store.commits();
            AtomicInteger received = new AtomicInteger();
            // no sync: the stream itself brings the backlog, in runs of up to its buffer size
            try (MessageStream<DecodedMessage> stream = bob.conversations().streamAllMessages(
                    StreamOptions.<DecodedMessage>builder().disableSync(true).bufferSize(256)
                            .onValue(m -> received.incrementAndGet()).build())) {
                await().atMost(Duration.ofSeconds(20)).until(() -> received.get() == messages);
            }
            long commits = store.commits() - before;
            assertThat(commits).as("commits for %d messages", messages).isPositive().isLessThanOrEqualTo(messages / 50);
            assertThat(bob.conversations().getConversationById(group.id()).orElseThrow().messages()).hasSize(messages);
        } finally {
            bob.close();
        }
    }

    @Test
    void anotherInboxOrASecondClientOnTheFileIsATypedError() {
        Client bob = withDb(bobId, file);

        assertThatThrownBy(() -> withDb(Identity.generate(), file))
                .isInstanceOfSatisfying(LocalStoreException.class,
                        e -> assertThat(e.reason()).isEqualTo(LocalStoreException.Reason.LOCKED));
        bob.close();
        assertThatThrownBy(() -> withDb(Identity.generate(), file))
                .isInstanceOfSatisfying(LocalStoreException.class,
                        e -> assertThat(e.reason()).isEqualTo(LocalStoreException.Reason.OTHER_INBOX));
    }

    /** A client over {@code store}, so a test can watch the store itself. */
    private Client clientOn(SqliteMessageStore store, Identity identity) {
        Transport transport = TransportRegistry.forScheme("inproc").connect(URI.create(net.endpoint()),
                TransportConfig.builder().authenticator(identity).build());
        return new DefaultClient(identity.inboxId(), new ClientServices(identity.inboxId(), transport, store,
                new Codecs(List.of()), Duration.ofSeconds(15), Duration.ofSeconds(30), null));
    }
}
