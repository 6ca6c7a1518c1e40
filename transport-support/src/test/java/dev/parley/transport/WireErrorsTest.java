package dev.parley.transport;

import dev.parley.LimitExceededException;
import dev.parley.ParleyException;
import dev.parley.protocol.ErrorDetail;
import org.junit.jupiter.api.Test;

import java.util.concurrent.CompletionException;

import static org.assertj.core.api.Assertions.assertThat;

/** A limit the node hit reaches the client as the same typed exception, with its name and retryability. */
class WireErrorsTest {
    @Test
    void aLimitCrossesTheWireWithItsNameAndWhetherRetryingHelps() {
        for (boolean retryable : new boolean[] {true, false}) {
            LimitExceededException hit = new LimitExceededException("maxSessionsPerInbox", "too many sessions", retryable);

            ErrorDetail frame = Wire.toWire(new CompletionException(hit));
            ParleyException back = Wire.fromWire(frame);

            assertThat(frame.getCode()).isEqualTo(ErrorDetail.Code.CODE_RESOURCE_EXHAUSTED);
            assertThat(back).isInstanceOfSatisfying(LimitExceededException.class, limit -> {
                assertThat(limit.limit()).isEqualTo("maxSessionsPerInbox");
                assertThat(limit.isRetryable()).isEqualTo(retryable);
                assertThat(limit.getMessage()).isEqualTo("too many sessions");
            });
        }
    }
}
