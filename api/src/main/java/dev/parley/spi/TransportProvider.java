package dev.parley.spi;

import java.net.URI;

/**
 * A transport implementation, found with {@link java.util.ServiceLoader}
 * (register with {@code @AutoService(TransportProvider.class)}). The endpoint's scheme picks it.
 */
public interface TransportProvider {
    /** URI scheme served, e.g. {@code grpc}. */
    String scheme();

    /** Among available providers of one scheme, the highest priority wins. */
    default int priority() {
        return 5;
    }

    /** False when a runtime requirement is missing; such a provider is skipped. */
    default boolean isAvailable() {
        return true;
    }

    /**
     * Connects and authenticates.
     *
     * @throws dev.parley.TransportException      the node cannot be reached
     * @throws dev.parley.AuthenticationException the node rejected the identity
     */
    Transport connect(URI endpoint, TransportConfig config);
}
