package dev.parley.node;

import dev.parley.ParleyException;
import dev.parley.internal.util.Services;
import dev.parley.spi.node.EndpointProvider;

import java.util.List;
import java.util.Optional;

/** Finds the endpoint provider of a scheme among the transport modules on the class path. */
final class EndpointProviders {
    private EndpointProviders() {
    }

    static Optional<EndpointProvider> find(String scheme) {
        return load(scheme).stream().filter(p -> p.scheme().equals(scheme)).findFirst();
    }

    /** @throws ParleyException naming the module to add when no provider serves {@code scheme} */
    static EndpointProvider forScheme(String scheme) {
        List<EndpointProvider> providers = load(scheme);
        return providers.stream().filter(p -> p.scheme().equals(scheme)).findFirst().orElseThrow(() ->
                new ParleyException("no node endpoint for scheme '" + scheme + "' (found: "
                        + (providers.isEmpty() ? "none" : String.join(", ",
                                providers.stream().map(EndpointProvider::scheme).distinct().toList()))
                        + "); add dev.parley:parley-transport-" + ("ws".equals(scheme) ? "websocket" : scheme)
                        + " to the class path"));
    }

    private static List<EndpointProvider> load(String scheme) {
        return Services.load(EndpointProvider.class, EndpointProviders.class, p -> p.scheme().equals(scheme));
    }
}
