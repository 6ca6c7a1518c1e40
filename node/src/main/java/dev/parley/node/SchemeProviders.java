package dev.parley.node;

import dev.parley.ParleyException;
import dev.parley.internal.util.Services;

import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.UnaryOperator;

/** Finds the provider of a URI scheme among those on the class path: node endpoints, node stores. */
final class SchemeProviders<P> {
    private final Class<P> type;
    private final Function<P, String> schemeOf;
    private final String what;
    private final UnaryOperator<String> artifactFor;

    /**
     * @param what        what a provider gives, for messages ("node endpoint")
     * @param artifactFor the artifact that serves a scheme, for the message when none is found
     */
    SchemeProviders(Class<P> type, Function<P, String> schemeOf, String what, UnaryOperator<String> artifactFor) {
        this.type = type;
        this.schemeOf = schemeOf;
        this.what = what;
        this.artifactFor = artifactFor;
    }

    Optional<P> find(String scheme) {
        return load(scheme).stream().filter(p -> schemeOf.apply(p).equals(scheme)).findFirst();
    }

    /** @throws ParleyException naming the schemes found and the artifact to add */
    P forScheme(String scheme) {
        List<P> providers = load(scheme);
        return providers.stream().filter(p -> schemeOf.apply(p).equals(scheme)).findFirst().orElseThrow(() ->
                new ParleyException("no " + what + " for scheme '" + scheme + "' (found: "
                        + (providers.isEmpty() ? "none" : String.join(", ",
                                providers.stream().map(schemeOf).distinct().toList()))
                        + "); add " + artifactFor.apply(scheme) + " to the class path"));
    }

    private List<P> load(String scheme) {
        return Services.load(type, SchemeProviders.class, p -> schemeOf.apply(p).equals(scheme));
    }
}
