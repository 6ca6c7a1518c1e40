package dev.parley.node;

import dev.parley.Authenticator;
import dev.parley.Identity;
import dev.parley.spi.Envelope;
import dev.parley.spi.SubscriptionListener;
import dev.parley.spi.node.NodeSession;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/** Collects what a node subscription delivers; also logs sessions in. */
final class Collector implements SubscriptionListener {
    final List<Envelope> envelopes = new CopyOnWriteArrayList<>();
    final AtomicInteger heartbeats = new AtomicInteger();
    final List<Throwable> errors = new CopyOnWriteArrayList<>();

    @Override
    public void onEnvelope(Envelope envelope) {
        envelopes.add(envelope);
    }

    @Override
    public void onHeartbeat() {
        heartbeats.incrementAndGet();
    }

    @Override
    public void onError(Throwable error) {
        errors.add(error);
    }

    List<String> texts() {
        return envelopes.stream().map(e -> new String(e.payload())).toList();
    }

    /** A session of {@code identity} on {@code node}, authenticated. */
    static NodeSession login(Node node, Identity identity) {
        NodeSession session = node.openSession("test");
        byte[] nonce = session.challenge();
        session.authenticate(identity.publicKey(), identity.sign(Authenticator.challengeMessage(node.name(), new byte[0], nonce)));
        return session;
    }
}
