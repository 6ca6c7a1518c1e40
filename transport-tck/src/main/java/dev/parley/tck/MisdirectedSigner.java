package dev.parley.tck;

import dev.parley.Authenticator;
import dev.parley.Identity;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * An identity that signs the node's challenge for another node name or another channel binding
 * than the one it is given: what a client tricked by a relaying node signs, as the real node sees
 * it. Reads {@link Authenticator#challengeMessage(String, byte[], byte[])} back into its fields.
 */
final class MisdirectedSigner extends IdentityAuthenticator {
    private final String nodeName;
    private final byte[] channelBinding;

    private MisdirectedSigner(Identity identity, String nodeName, byte[] channelBinding) {
        super(identity);
        this.nodeName = nodeName;
        this.channelBinding = channelBinding;
    }

    /** Signs for {@code nodeName} instead of the name the node sent. */
    static MisdirectedSigner forNode(Identity identity, String nodeName) {
        return new MisdirectedSigner(identity, nodeName, null);
    }

    /** Signs for {@code channelBinding} instead of the connection's own. */
    static MisdirectedSigner forChannel(Identity identity, byte[] channelBinding) {
        return new MisdirectedSigner(identity, null, channelBinding);
    }

    @Override
    public byte[] sign(byte[] message) {
        ByteBuffer in = ByteBuffer.wrap(message);
        byte[] context = new byte[CHALLENGE_CONTEXT.length];
        in.get(context);
        if (!Arrays.equals(context, CHALLENGE_CONTEXT)) {
            throw new AssertionError("not a challenge message");
        }
        String name = new String(field(in), StandardCharsets.UTF_8);
        byte[] binding = field(in);
        byte[] nonce = field(in);
        return identity.sign(Authenticator.challengeMessage(nodeName != null ? nodeName : name,
                channelBinding != null ? channelBinding : binding, nonce));
    }

    private static byte[] field(ByteBuffer in) {
        byte[] field = new byte[in.getInt()];
        in.get(field);
        return field;
    }
}
