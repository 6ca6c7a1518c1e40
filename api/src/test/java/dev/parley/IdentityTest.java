package dev.parley;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class IdentityTest {
    @Test
    void restoresFromPrivateKeyAndSignsVerifiably() {
        Identity original = Identity.generate();
        Identity restored = Identity.fromPrivateKey(original.privateKey());
        assertThat(restored.inboxId()).isEqualTo(original.inboxId()).hasSize(64);
        assertThat(restored).isEqualTo(original);
        byte[] message = "hello".getBytes(StandardCharsets.UTF_8);
        byte[] signature = restored.sign(message);
        assertThat(Identity.verify(original.publicKey(), message, signature)).isTrue();
        assertThat(Identity.verify(Identity.generate().publicKey(), message, signature)).isFalse();
        assertThat(Identity.verify(original.publicKey(), "other".getBytes(StandardCharsets.UTF_8), signature)).isFalse();
        assertThat(Identity.verify(new byte[3], message, signature)).isFalse();
        assertThat(original.toString()).doesNotContain(java.util.HexFormat.of().formatHex(original.privateKey()));
    }

    @Test
    void rejectsMalformedKeys() {
        assertThatThrownBy(() -> Identity.fromPrivateKey(new byte[31])).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Identity.fromPrivateKey(null)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void contentTypeParsesAndPrints() {
        assertThat(ContentTypeId.parse("parley.dev/text:1.0")).isEqualTo(ContentTypeId.TEXT);
        assertThat(ContentTypeId.TEXT.toString()).isEqualTo("parley.dev/text:1.0");
        assertThatThrownBy(() -> ContentTypeId.parse("text")).isInstanceOf(ProtocolException.class);
    }
}
