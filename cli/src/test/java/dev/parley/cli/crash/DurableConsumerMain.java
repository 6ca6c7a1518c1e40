package dev.parley.cli.crash;

import dev.parley.Client;
import dev.parley.ClientOptions;
import dev.parley.DecodedMessage;
import dev.parley.Identity;
import dev.parley.MessageStream;
import dev.parley.StreamOptions;
import dev.parley.StreamState;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HexFormat;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * The client process of {@code DurableStreamCrashTest}: a durable stream over {@code dbPath} that
 * appends each message's text to a file as it handles it (a little work per message, so a kill
 * lands mid-stream). Prints {@code LIVE} once subscribed; on the line {@code end} on stdin it ends
 * the stream and the client cleanly, prints {@code ENDED} and exits.
 * <p>Arguments: endpoint, private key (hex), database file, output file.
 */
public final class DurableConsumerMain {
    static final String STREAM = "crash-test";
    private static final long WORK_NANOS = TimeUnit.MICROSECONDS.toNanos(200);
    private static final long LIVE_DEADLINE_NANOS = TimeUnit.SECONDS.toNanos(30);

    private DurableConsumerMain() {
    }

    public static void main(String[] args) throws IOException {
        Identity identity = Identity.fromPrivateKey(HexFormat.of().parseHex(args[1]));
        Path out = Path.of(args[3]);
        Client client = Client.create(ClientOptions.builder()
                .endpoint(args[0])
                .identity(identity)
                .dbPath(Path.of(args[2]))
                .build());
        MessageStream<DecodedMessage> stream = client.conversations().streamAllMessages(
                StreamOptions.<DecodedMessage>builder()
                        .durable(STREAM)
                        .onValue(message -> handle(message, out))
                        .build());
        long deadline = System.nanoTime() + LIVE_DEADLINE_NANOS;
        while (stream.state() != StreamState.LIVE && System.nanoTime() < deadline) {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
        }
        System.out.println(stream.state() == StreamState.LIVE ? "LIVE" : "NOT LIVE " + stream.state());
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        for (String line; (line = in.readLine()) != null; ) {
            if (line.equals("end")) {
                break;
            }
        }
        stream.end();
        client.close();
        System.out.println("ENDED");
        System.exit(0);
    }

    /** Handling: a little work, then the text goes to the file (the OS has it even if this process is killed). */
    private static void handle(DecodedMessage message, Path out) {
        LockSupport.parkNanos(WORK_NANOS);
        try {
            Files.writeString(out, message.content() + "\n", StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
