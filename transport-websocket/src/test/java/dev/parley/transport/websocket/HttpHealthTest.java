package dev.parley.transport.websocket;

import dev.parley.Client;
import dev.parley.ClientOptions;
import dev.parley.Identity;
import dev.parley.node.FaultyStoreProvider;
import dev.parley.node.Node;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** {@code GET /health} on the node's WebSocket port, asked with the JDK's HTTP client. */
@ExtendWith(FaultyStoreProvider.Reset.class)
@Timeout(60)
class HttpHealthTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(WAIT).build();
    private Node node;

    @AfterEach
    void stop() {
        if (node != null) {
            node.close();
        }
    }

    private URI start(String store) {
        node = Node.builder().name("ws-health").store(store).listen("ws://127.0.0.1:0").build().start();
        URI ws = node.endpoint("ws");
        return URI.create("http://" + ws.getHost() + ":" + ws.getPort());
    }

    private HttpResponse<String> get(URI base, String path) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(base.resolve(path)).timeout(WAIT).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void answers200WithJsonWhileServingAndWebSocketsStillWorkOnThePort() throws Exception {
        URI base = start("memory:");

        HttpResponse<String> health = get(base, "/health");
        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(health.headers().firstValue("content-type")).hasValue("application/json");
        assertThat(health.body()).isEqualTo("{\"status\":\"SERVING\",\"node\":\"ws-health\"}\n");
        assertThat(get(base, "/health?verbose=1").statusCode()).isEqualTo(200);
        assertThat(get(base, "/elsewhere").statusCode()).isEqualTo(404);

        try (Client client = Client.create(ClientOptions.builder().endpoint(node.endpoint("ws"))
                .identity(Identity.generate()).requestTimeout(WAIT).build())) {
            client.conversations().sync(); // a round trip over a WebSocket on the same port
            assertThat(node.meterRegistry().get("parley.node.connections").tags("transport", "ws").gauge().value())
                    .isEqualTo(1);
        }
    }

    @Test
    void answers503WhileTheStoreFailsWithoutItsDetails() throws Exception {
        URI base = start("faulty:");
        FaultyStoreProvider.FAILING.set(true);

        await().atMost(WAIT).until(() -> get(base, "/health").statusCode() == 503);
        assertThat(get(base, "/health").body())
                .isEqualTo("{\"status\":\"NOT_SERVING\",\"node\":\"ws-health\",\"detail\":\"store does not answer\"}\n");

        FaultyStoreProvider.FAILING.set(false);
        await().atMost(WAIT).until(() -> get(base, "/health").statusCode() == 200);
    }
}
