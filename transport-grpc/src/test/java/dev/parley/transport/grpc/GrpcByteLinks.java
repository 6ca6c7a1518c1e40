package dev.parley.transport.grpc;

import dev.parley.internal.util.WireLimits;
import dev.parley.tck.fuzz.ByteLink;
import io.grpc.CallOptions;
import io.grpc.ClientCall;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.grpc.netty.NettyChannelBuilder;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/** Raw gRPC links for the fuzzing suites: {@code Connect} calls whose messages are any bytes. */
final class GrpcByteLinks implements ByteLink.Factory {
    static final MethodDescriptor<byte[], byte[]> RAW_CONNECT = MethodDescriptor.<byte[], byte[]>newBuilder()
            .setType(MethodDescriptor.MethodType.BIDI_STREAMING)
            .setFullMethodName(GrpcProtocol.CONNECT.getFullMethodName())
            .setRequestMarshaller(new Bytes())
            .setResponseMarshaller(new Bytes())
            .build();

    private final List<ManagedChannel> channels = new CopyOnWriteArrayList<>();

    @Override
    public ByteLink open(URI endpoint, ByteLink.Handler handler) {
        // a connection (channel) per link: each hostile client is on its own, as it would be on the network
        ManagedChannel channel = NettyChannelBuilder.forAddress(endpoint.getHost(), endpoint.getPort()).usePlaintext()
                .maxInboundMessageSize(WireLimits.MAX_FRAME_BYTES).build();
        channels.add(channel);
        ClientCall<byte[], byte[]> call = channel.newCall(RAW_CONNECT, CallOptions.DEFAULT);
        call.start(new ClientCall.Listener<>() {
            @Override
            public void onMessage(byte[] message) {
                handler.onFrame(message);
                call.request(1);
            }

            @Override
            public void onClose(Status status, Metadata trailers) {
                // UNKNOWN: an exception escaped the node's handler
                handler.onClosed(new ByteLink.Closed(status.toString(), status.getCode() == Status.Code.UNKNOWN));
                channel.shutdown();
                channels.remove(channel);
            }
        }, new Metadata());
        call.request(1);
        return new ByteLink() {
            @Override
            public synchronized void send(byte[] frame) {
                try {
                    call.sendMessage(frame);
                } catch (IllegalStateException closed) {
                    // the call is over: nothing more to send
                }
            }

            @Override
            public synchronized void close() {
                call.cancel("fuzzing client leaves", null);
            }
        };
    }

    @Override
    public void close() {
        channels.forEach(ManagedChannel::shutdownNow);
        for (ManagedChannel channel : channels) {
            try {
                channel.awaitTermination(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Messages as they are. */
    static final class Bytes implements MethodDescriptor.Marshaller<byte[]> {
        @Override
        public InputStream stream(byte[] value) {
            return new ByteArrayInputStream(value);
        }

        @Override
        public byte[] parse(InputStream stream) {
            try {
                return stream.readAllBytes();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
