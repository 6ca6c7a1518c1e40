package dev.parley.transport;

import dev.parley.TransportException;
import org.junit.jupiter.api.Test;

import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;
import java.net.SocketException;
import java.net.URI;
import java.security.cert.CertPathBuilderException;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateException;

import static org.assertj.core.api.Assertions.assertThat;

class TlsFailuresTest {
    private static final URI NODE = URI.create("grpcs://node.example:443");

    private static SSLHandshakeException handshake(String message, Throwable cause) {
        SSLHandshakeException e = new SSLHandshakeException(message);
        e.initCause(cause);
        return e;
    }

    @Test
    void anUntrustedCertificateIsRefusedForGood() {
        TransportException refused = TlsFailures.refusal(handshake("PKIX path building failed",
                new CertPathBuilderException("unable to find valid certification path to requested target")), NODE);
        assertThat(refused.isRetryable()).isFalse();
        assertThat(refused.getMessage()).contains("grpcs://node.example:443", "untrusted");
    }

    @Test
    void anExpiredCertificateIsRefusedForGood() {
        TransportException refused = TlsFailures.refusal(handshake("PKIX path validation failed",
                new CertPathValidatorException("validity check failed", null, null, -1,
                        CertPathValidatorException.BasicReason.EXPIRED)), NODE);
        assertThat(refused.isRetryable()).isFalse();
        assertThat(refused.getMessage()).contains("expired");
    }

    @Test
    void aCertificateForAnotherHostIsRefusedForGood() {
        TransportException refused = TlsFailures.refusal(handshake("No name matching node.example found",
                new CertificateException("No name matching node.example found")), NODE);
        assertThat(refused.isRetryable()).isFalse();
        assertThat(refused.getMessage()).contains("hostname mismatch", "node.example");
    }

    @Test
    void aConnectionThatBrokeDuringTheHandshakeIsNotARefusal() {
        SSLException reset = new SSLException("Connection reset", new SocketException("Connection reset"));
        assertThat(TlsFailures.refusal(reset, NODE)).isNull();
        assertThat(TlsFailures.refusal(new SocketException("Connection reset"), NODE)).isNull();
    }
}
