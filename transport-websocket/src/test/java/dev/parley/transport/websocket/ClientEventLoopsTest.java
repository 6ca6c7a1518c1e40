package dev.parley.transport.websocket;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** The shared client event loops: one group while anyone holds it, shut down after the linger, made anew after. */
@Timeout(30)
class ClientEventLoopsTest {
    private final AtomicInteger made = new AtomicInteger();

    private ClientEventLoops loops(Duration linger) {
        return new ClientEventLoops(() -> {
            made.incrementAndGet();
            return new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        }, linger);
    }

    @Test
    void usersShareOneGroupThatShutsDownAfterTheLastOneLingered() {
        ClientEventLoops loops = loops(Duration.ofMillis(50));
        EventLoopGroup first = loops.acquire();
        EventLoopGroup second = loops.acquire();
        assertThat(second).isSameAs(first);
        loops.release(first);
        assertThat(first.isShuttingDown()).as("shut down while a user holds it").isFalse();
        loops.release(second);
        await().atMost(Duration.ofSeconds(10)).until(first::isTerminated);
        assertThat(loops.running()).isFalse();

        EventLoopGroup next = loops.acquire();
        assertThat(next).isNotSameAs(first);
        assertThat(made).hasValue(2);
        loops.release(next);
        await().atMost(Duration.ofSeconds(10)).until(next::isTerminated);
    }

    @Test
    void aUserComingWithinTheLingerKeepsTheGroup() throws Exception {
        ClientEventLoops loops = loops(Duration.ofHours(1));
        EventLoopGroup first = loops.acquire();
        loops.release(first);
        EventLoopGroup again = loops.acquire();
        assertThat(again).isSameAs(first);
        assertThat(made).hasValue(1);
        loops.release(again);
        assertThat(loops.running()).isTrue();
        first.shutdownGracefully(0, 1, TimeUnit.SECONDS).await(10, TimeUnit.SECONDS);
    }

    @Test
    void releasingAGroupNotHeldIsRefused() {
        ClientEventLoops loops = loops(Duration.ofMillis(50));
        EventLoopGroup group = loops.acquire();
        loops.release(group);
        assertThatThrownBy(() -> loops.release(group)).isInstanceOf(IllegalStateException.class);
        await().atMost(Duration.ofSeconds(10)).until(group::isTerminated);
    }
}
