package dev.parley.tck;

import dev.parley.Authenticator;
import dev.parley.Identity;

import java.util.concurrent.atomic.AtomicInteger;

/** An identity that counts its signatures: a connection resumed with a ticket signs nothing. */
final class CountingSigner implements Authenticator {
    private final Identity identity;
    private final AtomicInteger signatures = new AtomicInteger();

    CountingSigner(Identity identity) {
        this.identity = identity;
    }

    int signatures() {
        return signatures.get();
    }

    @Override
    public String inboxId() {
        return identity.inboxId();
    }

    @Override
    public byte[] publicKey() {
        return identity.publicKey();
    }

    @Override
    public byte[] sign(byte[] message) {
        signatures.incrementAndGet();
        return identity.sign(message);
    }
}
