package dev.parley.transport;

import dev.parley.TransportException;
import dev.parley.protocol.ErrorDetail;
import dev.parley.protocol.NodeFrame;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/** What {@link OutboundQueue} hands its socket, and when it gives up on a client that does not read. */
class OutboundQueueTest {
    private static final long LIMIT = 1_000;

    /** A socket whose writability the test sets; records what it was given. */
    private static final class FakeSocket implements OutboundQueue.Socket {
        boolean writable = true;
        final List<Long> written = new ArrayList<>();
        final List<String> calls = new ArrayList<>();
        TransportException abortedWith;

        @Override
        public boolean isWritable() {
            return writable;
        }

        @Override
        public void write(NodeFrame frame) {
            written.add(frame.getRequestId());
            calls.add("write");
        }

        @Override
        public void flush() {
            calls.add("flush");
        }

        @Override
        public void abort(TransportException reason) {
            abortedWith = reason;
        }
    }

    private final FakeSocket socket = new FakeSocket();
    private final List<Long> peaks = new ArrayList<>();
    private final AtomicInteger overflows = new AtomicInteger();
    private final OutboundQueue queue = new OutboundQueue(socket, Runnable::run, LIMIT, peaks::add,
            overflows::incrementAndGet, "test");

    /** A frame of about {@code bytes} serialized bytes, numbered by its request id. */
    private static NodeFrame frame(long id, int bytes) {
        return NodeFrame.newBuilder().setRequestId(id)
                .setError(ErrorDetail.newBuilder().setMessage("x".repeat(bytes))).build();
    }

    @Test
    void writesInOrderOnlyWhileTheSocketIsWritable() {
        queue.send(frame(1, 10));
        socket.writable = false;
        queue.send(frame(2, 10));
        queue.send(frame(3, 10));
        assertThat(socket.written).containsExactly(1L);
        assertThat(queue.queuedBytes()).isPositive();
        socket.writable = true;
        queue.writable();
        assertThat(socket.written).containsExactly(1L, 2L, 3L);
        assertThat(socket.calls).endsWith("write", "write", "flush"); // one flush per run
        assertThat(queue.queuedBytes()).isZero();
    }

    @Test
    void aClientThatDoesNotReadIsAbortedAtTheLimitAndNothingMoreIsTaken() {
        socket.writable = false;
        int sent = 0;
        while (overflows.get() == 0) {
            queue.send(frame(++sent, 100));
        }
        assertThat(socket.abortedWith).isNotNull().matches(TransportException::isRetryable, "retryable");
        assertThat(socket.abortedWith.getMessage()).contains("did not read").contains(String.valueOf(LIMIT));
        assertThat(peaks).isNotEmpty().allMatch(p -> p <= LIMIT);
        assertThat(peaks.get(peaks.size() - 1)).isGreaterThan(LIMIT - frame(0, 100).getSerializedSize() - 10);
        assertThat(queue.queuedBytes()).isZero();
        queue.send(frame(++sent, 100));
        socket.writable = true;
        queue.writable();
        assertThat(socket.written).isEmpty();
        assertThat(overflows.get()).isEqualTo(1);
    }

    @Test
    void closeWritesWhatWaitsWhateverTheWritabilityThenRunsTheLastStep() {
        socket.writable = false;
        queue.send(frame(1, 10));
        queue.send(frame(2, 10));
        queue.close(() -> socket.calls.add("last"));
        queue.send(frame(3, 10));
        assertThat(socket.written).containsExactly(1L, 2L);
        assertThat(socket.calls).endsWith("flush", "last");
    }
}
