package dev.parley.spi;

import dev.parley.Client;
import dev.parley.ClientOptions;

/** Builds clients; {@link Client#create} finds the implementation with {@link java.util.ServiceLoader}. */
public interface ClientFactory {
    Client create(ClientOptions options);
}
