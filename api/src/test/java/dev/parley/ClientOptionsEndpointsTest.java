package dev.parley;

import org.junit.jupiter.api.Test;

import java.net.URI;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@code ClientOptions.Builder.endpoints}: validation, order, and how it combines with {@code endpoint}. */
class ClientOptionsEndpointsTest {
    private final Identity identity = Identity.generate();

    @Test
    void keepsTheEndpointsInOrderAndTheFirstIsTheEndpoint() {
        ClientOptions options = ClientOptions.builder().identity(identity)
                .endpoints(List.of("grpc://a:5556", "ws://b:5557", "inproc://c")).build();

        assertThat(options.endpoints()).containsExactly(URI.create("grpc://a:5556"), URI.create("ws://b:5557"),
                URI.create("inproc://c"));
        assertThat(options.endpoint()).isEqualTo(URI.create("grpc://a:5556"));
    }

    @Test
    void oneEndpointIsTheSameAsEndpoint() {
        ClientOptions one = ClientOptions.builder().identity(identity).endpoints(List.of("grpc://a:5556")).build();
        ClientOptions single = ClientOptions.builder().identity(identity).endpoint("grpc://a:5556").build();

        assertThat(one.endpoints()).isEqualTo(single.endpoints()).containsExactly(URI.create("grpc://a:5556"));
    }

    @Test
    void theLastCallWins() {
        ClientOptions endpointLast = ClientOptions.builder().identity(identity)
                .endpoints(List.of("grpc://a:5556", "grpc://b:5556")).endpoint("ws://c:5557").build();
        ClientOptions endpointsLast = ClientOptions.builder().identity(identity)
                .endpoint("ws://c:5557").endpoints(List.of("grpc://a:5556", "grpc://b:5556")).build();

        assertThat(endpointLast.endpoints()).containsExactly(URI.create("ws://c:5557"));
        assertThat(endpointsLast.endpoints()).containsExactly(URI.create("grpc://a:5556"), URI.create("grpc://b:5556"));
    }

    @Test
    void refusesWhatCannotBeAnEndpointList() {
        ClientOptions.Builder builder = ClientOptions.builder();
        assertThatThrownBy(() -> builder.endpoints(List.of()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at least one");
        assertThatThrownBy(() -> builder.endpoints(List.of("grpc://a:1", "no-scheme")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'no-scheme' has no scheme");
        assertThatThrownBy(() -> builder.endpoints(List.of("grpc://[bad")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("malformed endpoint 'grpc://[bad'");
        assertThatThrownBy(() -> builder.endpoints(List.of("grpc://a:1", " ")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("blank");
        assertThatThrownBy(() -> builder.endpoints(List.of("grpc://a:1", "grpc://a:1")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("listed twice");
        assertThatThrownBy(() -> builder.endpoints(Arrays.asList("grpc://a:1", null)))
                .isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> builder.endpoints(null)).isInstanceOf(NullPointerException.class);
    }

    @Test
    void aRefusedListLeavesWhatWasSetBefore() {
        ClientOptions.Builder builder = ClientOptions.builder().identity(identity).endpoint("grpc://a:5556");
        assertThatThrownBy(() -> builder.endpoints(List.of("grpc://b:1", "bad")))
                .isInstanceOf(IllegalArgumentException.class);

        assertThat(builder.build().endpoints()).containsExactly(URI.create("grpc://a:5556"));
    }
}
