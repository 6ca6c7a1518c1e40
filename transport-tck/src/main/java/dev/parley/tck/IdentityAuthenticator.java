package dev.parley.tck;

import dev.parley.Authenticator;
import dev.parley.Identity;

/** An authenticator that is {@code identity} by its inbox and key; subclasses decide what it signs. */
abstract class IdentityAuthenticator implements Authenticator {
    protected final Identity identity;

    IdentityAuthenticator(Identity identity) {
        this.identity = identity;
    }

    @Override
    public String inboxId() {
        return identity.inboxId();
    }

    @Override
    public byte[] publicKey() {
        return identity.publicKey();
    }
}
