package dev.parley;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

class AuthenticatorTest {
    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void theSignedMessageNamesTheContextThenEachFieldWithItsLength() {
        byte[] message = Authenticator.challengeMessage("node", bytes("cb"), bytes("nonce"));
        String expected = "parley-auth-v2:" + "\0\0\0\4node" + "\0\0\0\2cb" + "\0\0\0\5nonce";
        assertThat(message).isEqualTo(bytes(expected));
    }

    @Test
    void movingBytesFromOneFieldToAnotherGivesAnotherMessage() {
        byte[] a = Authenticator.challengeMessage("ab", new byte[0], bytes("c"));
        byte[] b = Authenticator.challengeMessage("a", bytes("b"), bytes("c"));
        byte[] c = Authenticator.challengeMessage("a", new byte[0], bytes("bc"));
        assertThat(a).isNotEqualTo(b);
        assertThat(b).isNotEqualTo(c);
        assertThat(a).isNotEqualTo(c);
    }

    @Test
    void aSignatureForOneNodeOrChannelDoesNotVerifyForAnother() {
        Identity who = Identity.generate();
        byte[] nonce = new byte[32];
        byte[] signature = who.sign(Authenticator.challengeMessage("node-a", new byte[0], nonce));
        assertThat(Identity.verify(who.publicKey(), Authenticator.challengeMessage("node-a", new byte[0], nonce), signature))
                .isTrue();
        assertThat(Identity.verify(who.publicKey(), Authenticator.challengeMessage("node-b", new byte[0], nonce), signature))
                .isFalse();
        assertThat(Identity.verify(who.publicKey(), Authenticator.challengeMessage("node-a", new byte[32], nonce), signature))
                .isFalse();
    }
}
