package dev.parley.transport;

import dev.parley.Identity;
import dev.parley.TransportException;
import dev.parley.spi.TransportConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * A link the node went silent on is {@linkplain FrameLink#abandon() abandoned} (its connection must
 * not carry the next link); a link that ends for any other reason is closed.
 */
class SilentLinkTest {
    private final ScheduledThreadPoolExecutor timers = new ScheduledThreadPoolExecutor(1);
    private final ScriptedLinks links = new ScriptedLinks();

    @AfterEach
    void stopTimers() throws InterruptedException {
        timers.shutdownNow();
        assertThat(timers.awaitTermination(5, TimeUnit.SECONDS)).isTrue();
    }

    private ClientFrameSession session() {
        return new ClientFrameSession(links, TransportConfig.builder().authenticator(Identity.generate())
                .requestTimeout(Duration.ofMillis(200)).heartbeatInterval(Duration.ofMillis(50)).build(), timers,
                new TicketHolder());
    }

    @Test
    void aHandshakeWithoutAWordFromTheNodeAbandonsTheLink() {
        links.answerHandshake = false;
        assertThatThrownBy(() -> session().open().get(5, TimeUnit.SECONDS)).cause()
                .isInstanceOf(TransportException.class).hasMessageContaining("no answer");
        assertThat(links.ends).containsExactly("abandoned");
    }

    @Test
    void heartbeatsThatStopAbandonTheLink() throws Exception {
        ClientFrameSession connection = session().open().get(5, TimeUnit.SECONDS); // then the node says nothing
        await().atMost(Duration.ofSeconds(5)).until(() -> !connection.isOpen());
        assertThat(links.ends).containsExactly("abandoned");
    }

    @Test
    void aConnectionClosedForAnotherReasonIsClosedNotAbandoned() throws Exception {
        ClientFrameSession connection = session().open().get(5, TimeUnit.SECONDS);
        connection.close(new TransportException("going away", true));
        assertThat(links.ends).containsExactly("closed");
    }
}
