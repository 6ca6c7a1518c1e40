package dev.parley.transport.inproc;

import com.google.auto.service.AutoService;
import dev.parley.ProtocolException;
import dev.parley.spi.Transport;
import dev.parley.spi.TransportConfig;
import dev.parley.spi.TransportProvider;

import java.net.URI;

/** {@code inproc://NAME}: a client talks to the started node NAME of the same JVM, no sockets. */
@AutoService(TransportProvider.class)
public final class InProcessTransportProvider implements TransportProvider {
    public static final String SCHEME = "inproc";

    @Override
    public String scheme() {
        return SCHEME;
    }

    @Override
    public Transport connect(URI endpoint, TransportConfig config) {
        String name = endpoint.getAuthority();
        if (name == null || name.isBlank()) {
            throw new ProtocolException("inproc endpoint needs a node name: inproc://NAME, was " + endpoint);
        }
        InProcessTransport transport = new InProcessTransport(name, config);
        transport.connect();
        return transport;
    }
}
