package dev.parley;

import java.util.List;

/** No transport on the class path serves the endpoint's scheme. */
public class NoTransportException extends ParleyException {
    private final String scheme;
    private final List<String> availableSchemes;

    public NoTransportException(String scheme, List<String> availableSchemes) {
        super("no transport for scheme '" + scheme + "'; available schemes: "
                + (availableSchemes.isEmpty() ? "none" : String.join(", ", availableSchemes))
                + ". Add the transport module to your build, e.g. dev.parley:" + artifactFor(scheme));
        this.scheme = scheme;
        this.availableSchemes = List.copyOf(availableSchemes);
    }

    public String scheme() {
        return scheme;
    }

    public List<String> availableSchemes() {
        return availableSchemes;
    }

    private static String artifactFor(String scheme) {
        switch (scheme) {
            case "grpc":
                return "parley-transport-grpc";
            case "ws":
            case "wss":
                return "parley-transport-websocket";
            case "inproc":
                return "parley-node";
            default:
                return "parley-transport-<scheme> (or a third-party transport for '" + scheme + "')";
        }
    }
}
