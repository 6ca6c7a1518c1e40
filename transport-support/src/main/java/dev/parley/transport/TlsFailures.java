package dev.parley.transport;

import dev.parley.TransportException;

import javax.net.ssl.SSLException;
import java.net.URI;
import java.security.cert.CertPathBuilderException;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Tells a TLS handshake that failed because of the node's certificate (not trusted, another host's,
 * expired) from a connection that merely broke: the first is the same on every new connection, so
 * it becomes a non-retryable {@link TransportException} naming the cause, and streams stop instead
 * of retrying.
 */
public final class TlsFailures {
    private TlsFailures() {
    }

    /**
     * The certificate problem in {@code failure}'s causes as a non-retryable {@link TransportException},
     * or {@code null} when there is none (the failure may well be retryable).
     */
    public static TransportException refusal(Throwable failure, URI endpoint) {
        List<Throwable> chain = new ArrayList<>();
        for (Throwable t = failure; t != null && !chain.contains(t); t = t.getCause()) {
            chain.add(t);
        }
        String why = why(chain, endpoint);
        if (why == null) {
            return null;
        }
        return new TransportException("TLS connection to " + endpoint + " refused: " + why, false, failure);
    }

    private static String why(List<Throwable> chain, URI endpoint) {
        boolean tls = chain.stream().anyMatch(t -> t instanceof SSLException || t instanceof CertificateException);
        if (!tls) {
            return null;
        }
        for (Throwable t : chain) {
            if (t instanceof CertificateExpiredException
                    || t instanceof CertPathValidatorException v && v.getReason() == CertPathValidatorException.BasicReason.EXPIRED) {
                return "expired: the node's certificate has expired";
            }
            if (t instanceof CertificateNotYetValidException
                    || t instanceof CertPathValidatorException v && v.getReason() == CertPathValidatorException.BasicReason.NOT_YET_VALID) {
                return "not yet valid: the node's certificate is not valid yet";
            }
        }
        for (Throwable t : chain) {
            String message = String.valueOf(t.getMessage()).toLowerCase(Locale.ROOT);
            if (t instanceof CertificateException && (message.contains("no subject alternative")
                    || message.contains("no name matching"))) {
                return "hostname mismatch: the node's certificate is not for " + endpoint.getHost() + " (" + t.getMessage() + ")";
            }
        }
        for (Throwable t : chain) {
            String message = String.valueOf(t.getMessage()).toLowerCase(Locale.ROOT);
            if (t instanceof CertPathBuilderException || t instanceof CertPathValidatorException
                    || message.contains("unable to find valid certification path") || message.contains("pkix path")) {
                return "untrusted: the node's certificate does not chain to a trusted certificate"
                        + " (JDK default trust store, or ClientOptions.trustStore/trustCertificates)";
            }
            if (message.contains("unsupported or unrecognized ssl message") || message.contains("not an ssl/tls record")) {
                return "the node does not speak TLS at this address (a plaintext endpoint? use grpc:// or ws://)";
            }
        }
        return null;
    }
}
