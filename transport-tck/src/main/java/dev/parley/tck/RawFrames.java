package dev.parley.tck;

import com.google.protobuf.ByteString;
import dev.parley.Authenticator;
import dev.parley.Identity;
import dev.parley.ParleyException;
import dev.parley.protocol.AuthOk;
import dev.parley.protocol.AuthResponse;
import dev.parley.protocol.Challenge;
import dev.parley.protocol.ClientFrame;
import dev.parley.protocol.Cursor;
import dev.parley.protocol.Hello;
import dev.parley.protocol.NodeFrame;
import dev.parley.protocol.QueryRequest;
import dev.parley.protocol.ResumptionTicket;
import dev.parley.spi.SessionTicket;
import dev.parley.protocol.Subscribe;
import dev.parley.transport.FrameLink;
import dev.parley.transport.Wire;

import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * One link of a framed transport driven frame by frame, to send what the client never would (the
 * optional rules for framed transports). Answers are matched by request id; heartbeats are skipped.
 */
final class RawFrames implements FrameLink.Handler, AutoCloseable {
    private static final Duration WAIT = Duration.ofSeconds(20);

    private final FrameLink.Factory links;
    private final FrameLink link;
    private final BlockingQueue<NodeFrame> received = new LinkedBlockingQueue<>();
    /** Completes when the link is gone, with its cause. */
    final CompletableFuture<Throwable> closed = new CompletableFuture<>();
    private long nextId = 1;

    RawFrames(FrameLink.Factory links) {
        this.links = links;
        this.link = links.open(this);
    }

    @Override
    public void onFrame(NodeFrame frame) {
        received.add(frame);
    }

    @Override
    public void onClosed(Throwable cause) {
        closed.complete(cause);
    }

    /** Sends {@code frame} with a new request id and returns the id. */
    synchronized long send(ClientFrame.Builder frame) {
        long id = nextId++;
        send(id, frame);
        return id;
    }

    /** Sends {@code frame} for request (or subscription) {@code id}. */
    void send(long id, ClientFrame.Builder frame) {
        link.send(frame.setRequestId(id).build());
    }

    /** The next frame for request {@code id} that is not a heartbeat; frames for other ids are dropped. */
    NodeFrame answer(long id) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        try {
            while (true) {
                NodeFrame frame = received.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
                if (frame == null) {
                    throw new AssertionError("no answer to request " + id + " within " + WAIT);
                }
                if (frame.getRequestId() == id && !frame.hasHeartbeat()) {
                    return frame;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted waiting for request " + id, e);
        }
    }

    /** The typed error the node answered request {@code id} with. */
    ParleyException error(long id) {
        NodeFrame frame = answer(id);
        if (!frame.hasError()) {
            throw new AssertionError("expected an error for request " + id + ", got " + frame.getBodyCase());
        }
        return Wire.fromWire(frame.getError());
    }

    /** Hello, challenge, signed answer: the link is authenticated as {@code who}; returns the node's AuthOk. */
    AuthOk authenticate(Identity who) {
        return sign(who, challenge(answer(send(hello(0)))));
    }

    /** Answers {@code challenge} with {@code who}'s signature; returns the node's AuthOk. */
    AuthOk sign(Identity who, Challenge challenge) {
        byte[] signature = who.sign(Authenticator.challengeMessage(challenge.getNodeName(),
                link.channelBinding(), challenge.getNonce().toByteArray()));
        NodeFrame ok = answer(send(auth(who, signature)));
        if (!ok.hasAuthOk()) {
            throw new AssertionError("expected AuthOk, got " + ok.getBodyCase());
        }
        return ok.getAuthOk();
    }

    /** The challenge {@code frame} must be. */
    static Challenge challenge(NodeFrame frame) {
        if (!frame.hasChallenge()) {
            throw new AssertionError("expected a challenge, got " + frame.getBodyCase());
        }
        return frame.getChallenge();
    }

    /** Answers {@code challenge} with {@code ticket} (proof over this link's channel binding); returns the request id. */
    long resume(Challenge challenge, ResumptionTicket ticket) {
        byte[] nonce = SessionTicket.newNonce();
        byte[] proof = SessionTicket.proof(ticket.getSecret().toByteArray(), link.channelBinding(),
                challenge.getNonce().toByteArray(), nonce);
        return send(ClientFrame.newBuilder().setAuth(AuthResponse.newBuilder().setResumptionTicket(ticket.getTicket())
                .setResumptionNonce(ByteString.copyFrom(nonce)).setResumptionProof(ByteString.copyFrom(proof))));
    }

    /** A Hello that resumes with {@code ticket} at once (links without TLS); returns the request id. */
    long resumeInHello(ResumptionTicket ticket) {
        byte[] nonce = SessionTicket.newNonce();
        byte[] proof = SessionTicket.proof(ticket.getSecret().toByteArray(), new byte[0], new byte[0], nonce);
        return send(ClientFrame.newBuilder().setHello(Hello.newBuilder().setClientVersion("tck-raw")
                .setResumptionTicket(ticket.getTicket()).setResumptionNonce(ByteString.copyFrom(nonce))
                .setResumptionProof(ByteString.copyFrom(proof))));
    }

    static ClientFrame.Builder hello(long heartbeatMs) {
        return ClientFrame.newBuilder().setHello(Hello.newBuilder().setClientVersion("tck-raw")
                .setHeartbeatIntervalMs(heartbeatMs));
    }

    static ClientFrame.Builder auth(Identity who, byte[] signature) {
        return auth(who.publicKey(), signature);
    }

    static ClientFrame.Builder auth(byte[] publicKey, byte[] signature) {
        return ClientFrame.newBuilder().setAuth(AuthResponse.newBuilder()
                .setPublicKey(ByteString.copyFrom(publicKey)).setSignature(ByteString.copyFrom(signature)));
    }

    static ClientFrame.Builder subscribe(String topic, long heartbeatMs) {
        return ClientFrame.newBuilder().setSubscribe(Subscribe.newBuilder()
                .addCursors(Cursor.newBuilder().setTopic(topic).setAfterSequence(0)).setHeartbeatIntervalMs(heartbeatMs));
    }

    static ClientFrame.Builder query(String topic) {
        return ClientFrame.newBuilder().setQuery(QueryRequest.newBuilder().setTopic(topic).setLimit(10));
    }

    @Override
    public void close() {
        link.close();
        links.close();
    }
}
