package dev.parley;

/**
 * Builds clients: the one hook between the API and its implementation ({@code parley-core}
 * registers one). {@link Client#create} finds it with {@link java.util.ServiceLoader};
 * applications call {@code Client.create}, never this.
 */
public interface ClientFactory {
    Client create(ClientOptions options);
}
