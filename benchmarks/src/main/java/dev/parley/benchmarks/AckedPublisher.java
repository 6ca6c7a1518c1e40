package dev.parley.benchmarks;

import java.nio.ByteBuffer;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The baseline of {@link SendBenchmark}: a bare publisher whose server acknowledges every message
 * (no Parley code). A message is an 8-byte request id and the payload; the acknowledgement is the
 * request id and a sequence the server counts, matched to its publish by id as an SDK matches answers.
 */
abstract class AckedPublisher implements AutoCloseable {
    private final Map<Long, CompletableFuture<Long>> waiting = new ConcurrentHashMap<>();
    private long nextId; // guarded by this

    /** Sends {@code payload}; completes with the sequence the server acknowledged it with. */
    CompletableFuture<Long> publish(byte[] payload) {
        CompletableFuture<Long> ack = new CompletableFuture<>();
        synchronized (this) {
            long id = nextId++;
            waiting.put(id, ack);
            send(ByteBuffer.allocate(Long.BYTES + payload.length).putLong(id).put(payload).array());
        }
        return ack;
    }

    /** Hands one message to the connection (called one at a time). */
    protected abstract void send(byte[] message);

    /** The connection received {@code ack} (request id, sequence). */
    protected final void acknowledged(ByteBuffer ack) {
        CompletableFuture<Long> publish = waiting.remove(ack.getLong());
        if (publish != null) {
            publish.complete(ack.getLong());
        }
    }

    /** The server's answer to {@code message}: its request id and {@code sequence}. */
    static byte[] ackOf(ByteBuffer message, long sequence) {
        return ByteBuffer.allocate(2 * Long.BYTES).putLong(message.getLong(message.position())).putLong(sequence).array();
    }

    /** A bare publisher of {@code transport} ({@code grpc}: grpc-java; {@code ws}: Netty server and client). */
    static AckedPublisher of(String transport) throws Exception {
        return switch (transport) {
            case "grpc" -> new GrpcAckedPublisher();
            case "ws" -> new WebSocketAckedPublisher();
            default -> throw new IllegalArgumentException("no bare acknowledged publisher for " + transport);
        };
    }
}
