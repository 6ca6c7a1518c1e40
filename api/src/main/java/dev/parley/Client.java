package dev.parley;

import dev.parley.internal.util.Services;

import java.util.List;

/**
 * A connected, authenticated Parley client for one identity.
 * <pre>{@code
 * try (Client client = Client.create(ClientOptions.builder()
 *         .endpoint("grpc://127.0.0.1:5556").identity(Identity.generate()).build())) {
 *     client.conversations().streamAllMessages(...);
 * }
 * }</pre>
 */
public interface Client extends AutoCloseable {
    /**
     * Connects to the endpoint and authenticates before returning. With several
     * {@linkplain ClientOptions#endpoints() endpoints}, connects to the first that answers, trying them in order.
     *
     * @throws NoTransportException     no transport on the class path serves the scheme of an endpoint
     *                                  (every endpoint's is checked before connecting)
     * @throws TransportException       the node cannot be reached (with several endpoints: none answered; the
     *                                  message names each endpoint and why)
     * @throws AuthenticationException  the node rejected the identity
     */
    static Client create(ClientOptions options) {
        List<ClientFactory> factories = Services.load(ClientFactory.class, Client.class, f -> true);
        if (factories.isEmpty()) {
            throw new ParleyException("no Parley client implementation on the class path: add dev.parley:parley-core "
                    + "(it comes with any transport module, e.g. dev.parley:parley-transport-grpc)");
        }
        return factories.get(0).create(options);
    }

    /** This client's inbox id (the hex public key of its identity). */
    String inboxId();

    Conversations conversations();

    Preferences preferences();

    /** Ends every stream of this client, then closes its connection. Idempotent. */
    @Override
    void close();
}
