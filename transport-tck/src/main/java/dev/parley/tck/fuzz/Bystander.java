package dev.parley.tck.fuzz;

import dev.parley.Client;
import dev.parley.ClientOptions;
import dev.parley.DecodedMessage;
import dev.parley.Group;
import dev.parley.Identity;
import dev.parley.MessageStream;
import dev.parley.StreamOptions;
import dev.parley.StreamState;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A well-behaved client on the node under attack: its own group and a stream of it that runs all
 * along. {@link #stillServed()} proves the node still serves it: a new message reaches the stream,
 * and the stream has seen every message sent so far exactly once, in order.
 */
final class Bystander implements AutoCloseable {
    private static final Duration WAIT = Duration.ofSeconds(20);

    private final Client client;
    private final Group group;
    private final MessageStream<DecodedMessage> stream;
    private final List<String> sent = new ArrayList<>();
    private final List<String> seen = new CopyOnWriteArrayList<>();
    private final List<Throwable> errors = new CopyOnWriteArrayList<>();

    Bystander(Identity identity, String endpoint) {
        client = Client.create(ClientOptions.builder().endpoint(endpoint).identity(identity)
                .heartbeatInterval(Duration.ofSeconds(1)).build());
        group = client.conversations().newGroup(List.of());
        stream = group.stream(StreamOptions.<DecodedMessage>builder()
                .onValue(m -> seen.add((String) m.content()))
                .onError(errors::add)
                .build());
    }

    /** The topic of the bystander's group. */
    String topic() {
        return "conv/" + group.id();
    }

    void stillServed() {
        String text = "still here " + sent.size();
        group.send(text);
        sent.add(text);
        Fuzz.await(WAIT).until(() -> seen.size() >= sent.size());
        assertThat(seen).as("the bystander's stream, exactly once and in order").containsExactlyElementsOf(sent);
        assertThat(errors).as("errors of the bystander's stream").isEmpty();
        assertThat(stream.state()).isEqualTo(StreamState.LIVE);
    }

    @Override
    public void close() {
        stream.close();
        client.close();
    }
}
