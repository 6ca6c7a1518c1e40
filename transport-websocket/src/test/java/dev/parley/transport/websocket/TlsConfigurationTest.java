package dev.parley.transport.websocket;

import dev.parley.Client;
import dev.parley.ClientOptions;
import dev.parley.Identity;
import dev.parley.TransportException;
import dev.parley.node.Node;
import dev.parley.testing.TestCertificates;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** TLS set up wrongly, on either side, over both TLS schemes: each a clear, typed error. */
@Timeout(60)
class TlsConfigurationTest {
    private static final TestCertificates.Authority CA = TestCertificates.authority("configuration test CA");

    @ParameterizedTest
    @ValueSource(strings = {"grpcs", "wss"})
    void aTlsEndpointWithoutACertificateDoesNotStart(String scheme) {
        assertThatThrownBy(() -> Node.builder().name("no-cert-" + scheme).listen(scheme + "://127.0.0.1:0").build().start())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining(scheme + " serves TLS").hasMessageContaining("Node.builder().tls(");
    }

    @Test
    void aCertificateOrKeyThatIsNotPemIsRefusedAtOnce() {
        TestCertificates.Issued issued = CA.issue("127.0.0.1");
        byte[] garbage = "not a certificate".getBytes(StandardCharsets.US_ASCII);
        assertThatThrownBy(() -> Node.builder().tls(garbage, issued.privateKeyPem()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("certificate");
        assertThatThrownBy(() -> Node.builder().tls(issued.chainPem(), garbage))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("BEGIN PRIVATE KEY");
        byte[] pkcs1 = "-----BEGIN RSA PRIVATE KEY-----\nAAAA\n-----END RSA PRIVATE KEY-----\n".getBytes(StandardCharsets.US_ASCII);
        assertThatThrownBy(() -> Node.builder().tls(issued.chainPem(), pkcs1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("openssl pkcs8");
    }

    @Test
    void aKeyOfAnotherCertificateIsRefusedAtOnce() {
        TestCertificates.Issued one = CA.issue("127.0.0.1");
        TestCertificates.Issued other = CA.issue("127.0.0.1");
        assertThatThrownBy(() -> Node.builder().tls(one.chainPem(), other.privateKeyPem()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("is not the key of the certificate");
    }

    @ParameterizedTest
    @ValueSource(strings = {"grpc", "ws"})
    void aTlsClientAtAPlaintextEndpointFailsForGoodSayingSo(String plaintext) {
        try (Node node = Node.builder().name("plain-" + plaintext).listen(plaintext + "://127.0.0.1:0").build().start()) {
            String endpoint = node.endpoint(plaintext).toString().replace(plaintext + "://", plaintext + "s://");
            assertThatThrownBy(() -> Client.create(ClientOptions.builder().endpoint(endpoint).identity(Identity.generate())
                    .trustStore(CA.trustStore()).requestTimeout(Duration.ofSeconds(10)).build()))
                    .isInstanceOfSatisfying(TransportException.class, e -> {
                        assertThat(e.isRetryable()).isFalse();
                        assertThat(e.getMessage()).contains("does not speak TLS");
                    });
        }
    }

    @Test
    void aTrustFileWithoutCertificatesIsRefused(@TempDir Path dir) throws Exception {
        Path empty = Files.writeString(dir.resolve("empty.pem"), "nothing here");
        assertThatThrownBy(() -> ClientOptions.builder().trustCertificates(empty))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("empty.pem");
        assertThatThrownBy(() -> ClientOptions.builder().trustStore(TestCertificates.trustStore()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no certificate");
    }
}
