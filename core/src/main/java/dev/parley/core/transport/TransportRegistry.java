package dev.parley.core.transport;

import dev.parley.NoTransportException;
import dev.parley.internal.util.Services;
import dev.parley.spi.TransportProvider;

import java.util.Comparator;
import java.util.List;
import java.util.TreeSet;

/**
 * Finds the transport for an endpoint scheme. The only place that asks {@link java.util.ServiceLoader} for
 * transports: it looks with Parley's class loader first and with the thread's context class loader
 * when that finds nothing (fat jars, application servers); among available providers of the scheme
 * the highest {@code priority()} wins.
 */
public final class TransportRegistry {
    private TransportRegistry() {
    }

    public static TransportProvider forScheme(String scheme) {
        List<TransportProvider> providers = Services.load(TransportProvider.class, TransportRegistry.class,
                p -> serves(p, scheme));
        return providers.stream().filter(p -> serves(p, scheme))
                .max(Comparator.comparingInt(TransportProvider::priority))
                .orElseThrow(() -> new NoTransportException(scheme, availableSchemes(providers)));
    }

    private static boolean serves(TransportProvider provider, String scheme) {
        return provider.scheme().equalsIgnoreCase(scheme) && provider.isAvailable();
    }

    private static List<String> availableSchemes(List<TransportProvider> providers) {
        TreeSet<String> schemes = new TreeSet<>();
        providers.stream().filter(TransportProvider::isAvailable).forEach(p -> schemes.add(p.scheme()));
        return List.copyOf(schemes);
    }
}
