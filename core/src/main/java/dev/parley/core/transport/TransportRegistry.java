package dev.parley.core.transport;

import dev.parley.NoTransportException;
import dev.parley.spi.TransportProvider;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.TreeSet;

/**
 * Finds the transport for an endpoint scheme. The only place that asks {@link ServiceLoader} for
 * transports: it looks with Parley's class loader first and with the thread's context class loader
 * when that finds nothing (fat jars, application servers); among available providers of the scheme
 * the highest {@code priority()} wins.
 */
public final class TransportRegistry {
    private TransportRegistry() {
    }

    public static TransportProvider forScheme(String scheme) {
        List<TransportProvider> providers = load(TransportRegistry.class.getClassLoader());
        Optional<TransportProvider> chosen = best(providers, scheme);
        if (chosen.isEmpty()) {
            ClassLoader context = Thread.currentThread().getContextClassLoader();
            if (context != null && context != TransportRegistry.class.getClassLoader()) {
                providers.addAll(load(context));
                chosen = best(providers, scheme);
            }
        }
        return chosen.orElseThrow(() -> new NoTransportException(scheme, availableSchemes(providers)));
    }

    private static List<TransportProvider> load(ClassLoader loader) {
        List<TransportProvider> found = new ArrayList<>();
        ServiceLoader.load(TransportProvider.class, loader).forEach(found::add);
        return found;
    }

    private static Optional<TransportProvider> best(List<TransportProvider> providers, String scheme) {
        return providers.stream()
                .filter(p -> p.scheme().equalsIgnoreCase(scheme))
                .filter(TransportProvider::isAvailable)
                .max(Comparator.comparingInt(TransportProvider::priority));
    }

    private static List<String> availableSchemes(List<TransportProvider> providers) {
        TreeSet<String> schemes = new TreeSet<>();
        providers.stream().filter(TransportProvider::isAvailable).forEach(p -> schemes.add(p.scheme()));
        return List.copyOf(schemes);
    }
}
