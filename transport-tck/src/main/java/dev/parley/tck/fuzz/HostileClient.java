package dev.parley.tck.fuzz;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.parley.Authenticator;
import dev.parley.Identity;
import dev.parley.protocol.AuthResponse;
import dev.parley.protocol.ClientFrame;
import dev.parley.protocol.ErrorDetail;
import dev.parley.protocol.Hello;
import dev.parley.protocol.NodeFrame;
import dev.parley.transport.ChannelBindings;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One connection of a hostile client: sends whatever it is given and records what the node does,
 * every frame it answers and how the connection ended, so a property can say whether each refusal
 * was a typed error or a close with a code, and whether the node ever stopped answering.
 */
final class HostileClient implements ByteLink.Handler, AutoCloseable {
    private final ByteLink link;
    private final List<NodeFrame> received = new CopyOnWriteArrayList<>();
    private final List<String> unparsable = new CopyOnWriteArrayList<>();
    final CompletableFuture<ByteLink.Closed> closed = new CompletableFuture<>();
    private final List<CompletableFuture<NodeFrame>> waiting = new CopyOnWriteArrayList<>();

    HostileClient(ByteLink.Factory links, URI endpoint) {
        this.link = links.open(endpoint, this);
    }

    @Override
    public void onFrame(byte[] frame) {
        NodeFrame parsed;
        try {
            parsed = NodeFrame.parseFrom(frame);
        } catch (InvalidProtocolBufferException e) {
            unparsable.add(e.getMessage());
            return;
        }
        received.add(parsed);
        waiting.forEach(w -> w.complete(parsed));
    }

    @Override
    public void onClosed(ByteLink.Closed how) {
        closed.complete(how);
    }

    void send(byte[] frame) {
        link.send(frame);
    }

    void send(ClientFrame frame) {
        link.send(frame.toByteArray());
    }

    /**
     * Sends {@code frame} and waits for the node's answer to it (a frame with its request id that
     * is not a heartbeat), or for the connection to end; empty when the connection ended first.
     *
     * @throws AssertionError when neither happens within {@code within}: the node hangs
     */
    Optional<NodeFrame> exchange(ClientFrame frame, Duration within) {
        long id = frame.getRequestId();
        long deadline = System.nanoTime() + within.toNanos();
        int seen = received.size();
        send(frame);
        while (true) {
            for (int i = seen; i < received.size(); i++) {
                NodeFrame f = received.get(i);
                if (f.getRequestId() == id && !f.hasHeartbeat()) {
                    return Optional.of(f);
                }
            }
            seen = received.size();
            if (closed.isDone()) {
                return Optional.empty();
            }
            CompletableFuture<NodeFrame> next = new CompletableFuture<>();
            waiting.add(next);
            try {
                if (received.size() == seen && !closed.isDone()) {
                    CompletableFuture.anyOf(next, closed).get(Math.max(1, deadline - System.nanoTime()),
                            TimeUnit.NANOSECONDS);
                }
            } catch (TimeoutException e) {
                throw new AssertionError("the node neither answered request " + id + " (" + frame.getBodyCase()
                        + ") nor closed the connection within " + within);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted", e);
            } catch (ExecutionException e) {
                throw new AssertionError(e);
            } finally {
                waiting.remove(next);
            }
        }
    }

    /** Hello, challenge, signed answer; false when the node did not let {@code who} in. */
    boolean authenticate(Identity who, Duration within) {
        var challenge = exchange(ClientFrame.newBuilder().setRequestId(1)
                .setHello(Hello.newBuilder().setClientVersion("fuzz")).build(), within);
        if (challenge.isEmpty() || !challenge.get().hasChallenge()) {
            return false;
        }
        byte[] nonce = challenge.get().getChallenge().getNonce().toByteArray();
        byte[] signed = Authenticator.challengeMessage(challenge.get().getChallenge().getNodeName(),
                ChannelBindings.NONE, nonce); // fuzzing runs without TLS
        var ok = exchange(ClientFrame.newBuilder().setRequestId(2).setAuth(AuthResponse.newBuilder()
                .setPublicKey(ByteString.copyFrom(who.publicKey()))
                .setSignature(ByteString.copyFrom(who.sign(signed)))).build(), within);
        return ok.isPresent() && ok.get().hasAuthOk();
    }

    /** Every frame received so far. */
    List<NodeFrame> received() {
        return new ArrayList<>(received);
    }

    /** Node frames that did not parse (a node never sends one). */
    List<String> unparsable() {
        return List.copyOf(unparsable);
    }

    /** Error frames whose code says the node failed rather than refused: an unexpected exception inside. */
    List<ErrorDetail> internalErrors() {
        return received.stream().filter(NodeFrame::hasError).map(NodeFrame::getError)
                .filter(e -> e.getMessage().startsWith("internal error")
                        || e.getCode() == ErrorDetail.Code.CODE_UNSPECIFIED
                        || e.getCode() == ErrorDetail.Code.UNRECOGNIZED)
                .toList();
    }

    @Override
    public void close() {
        link.close();
    }
}
