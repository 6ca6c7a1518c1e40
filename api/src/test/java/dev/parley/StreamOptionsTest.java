package dev.parley;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class StreamOptionsTest {
    @Test
    void defaults() {
        StreamOptions<String> options = StreamOptions.<String>builder().build();
        assertThat(options.consentStates()).isEmpty();
        assertThat(options.conversationType()).isEmpty();
        assertThat(options.retryOnFail()).isTrue();
        assertThat(options.retryAttempts()).isEqualTo(10);
        assertThat(options.retryDelay()).isEmpty();
        assertThat(options.disableSync()).isFalse();
        assertThat(options.bufferSize()).isEqualTo(256);
        assertThat(options.onValue()).isEmpty();
        // absent callbacks are harmless no-ops
        options.onError().accept(new RuntimeException());
        options.onFail().run();
        options.onRestart().run();
        options.onRetry().onRetry(1, 10);
        options.onEnd().run();
    }

    @Test
    void settersKeepWhatTheyAreGiven() {
        StreamOptions<String> options = StreamOptions.<String>builder()
                .consentStates(ConsentState.ALLOWED)
                .conversationType(ConversationType.GROUP)
                .retryOnFail(false)
                .retryAttempts(0)
                .retryDelay(Duration.ZERO)
                .disableSync(true)
                .bufferSize(1)
                .onValue(v -> { })
                .build();
        assertThat(options.consentStates()).contains(java.util.Set.of(ConsentState.ALLOWED));
        assertThat(options.conversationType()).contains(ConversationType.GROUP);
        assertThat(options.retryOnFail()).isFalse();
        assertThat(options.retryAttempts()).isZero();
        assertThat(options.retryDelay()).contains(Duration.ZERO);
        assertThat(options.disableSync()).isTrue();
        assertThat(options.bufferSize()).isEqualTo(1);
        assertThat(options.onValue()).isPresent();
    }

    @Test
    void rejectsWrongValues() {
        StreamOptions.Builder<String> b = StreamOptions.builder();
        assertThatThrownBy(() -> b.retryAttempts(-1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("retryAttempts");
        assertThatThrownBy(() -> b.retryDelay(Duration.ofMillis(-1))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> b.retryDelay(null)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> b.bufferSize(0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> b.consentStates()).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> b.onValue(null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> b.onError(null)).isInstanceOf(NullPointerException.class);
    }

    @Test
    void clientOptionsValidate() {
        assertThatThrownBy(() -> ClientOptions.builder().endpoint("no-scheme")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ClientOptions.builder().endpoint("grpc://[bad")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ClientOptions.builder().identity(Identity.generate()).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("endpoint");
        assertThatThrownBy(() -> ClientOptions.builder().heartbeatInterval(Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ClientOptions.builder().heartbeatInterval(Duration.ofMinutes(11)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at most");
        ClientOptions options = ClientOptions.builder().endpoint("grpc://127.0.0.1:5556")
                .identity(Identity.generate()).build();
        assertThat(options.heartbeatInterval()).isEqualTo(Duration.ofSeconds(15));
        assertThat(options.dbPath()).isEmpty();
    }
}
