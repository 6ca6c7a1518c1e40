package dev.parley.tck;

import dev.parley.Identity;

import java.util.concurrent.atomic.AtomicInteger;

/** An identity that counts its signatures: a connection resumed with a ticket signs nothing. */
final class CountingSigner extends IdentityAuthenticator {
    private final AtomicInteger signatures = new AtomicInteger();

    CountingSigner(Identity identity) {
        super(identity);
    }

    int signatures() {
        return signatures.get();
    }

    @Override
    public byte[] sign(byte[] message) {
        signatures.incrementAndGet();
        return identity.sign(message);
    }
}
