package dev.parley.benchmarks;

import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.MethodDescriptor;
import io.grpc.Server;
import io.grpc.ServerServiceDefinition;
import io.grpc.Status;
import io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.ServerCalls;
import io.grpc.stub.StreamObserver;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** Bare grpc-java: the publisher client-streams bytes, the server forwards them to a server-streaming subscriber. */
final class GrpcRelay implements BareRelayBenchmark.Relay {
    static final MethodDescriptor.Marshaller<byte[]> BYTES = new MethodDescriptor.Marshaller<>() {
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
    };
    private static final MethodDescriptor<byte[], byte[]> PUBLISH = method("Publish", MethodDescriptor.MethodType.CLIENT_STREAMING);
    private static final MethodDescriptor<byte[], byte[]> SUBSCRIBE = method("Subscribe", MethodDescriptor.MethodType.SERVER_STREAMING);

    private final RelayServer server;
    private final ManagedChannel publisherChannel;
    private final ManagedChannel subscriberChannel;
    private final StreamObserver<byte[]> publisher;

    GrpcRelay(Runnable onReceive) throws IOException, InterruptedException {
        server = new RelayServer();
        subscriberChannel = server.newChannel();
        publisherChannel = server.newChannel();
        subscribe(subscriberChannel, new byte[0], new Ignoring() {
            @Override
            public void onNext(byte[] value) {
                onReceive.run();
            }
        });
        if (!server.subscribed.await(10, TimeUnit.SECONDS)) {
            throw new IllegalStateException("bare gRPC subscriber did not connect");
        }
        publisher = ClientCalls.asyncClientStreamingCall(publisherChannel.newCall(PUBLISH, CallOptions.DEFAULT),
                new Ignoring());
    }

    /** Opens a subscribe call; a non-empty {@code request} comes straight back as its first message. */
    static void subscribe(ManagedChannel channel, byte[] request, StreamObserver<byte[]> responses) {
        ClientCalls.asyncServerStreamingCall(channel.newCall(SUBSCRIBE, CallOptions.DEFAULT), request, responses);
    }

    /**
     * The bare gRPC server: a publish call's messages go straight to the latest subscribe call, which
     * first gets its own request back when that is not empty (one round trip, for reconnect baselines).
     */
    static final class RelayServer implements AutoCloseable {
        private final Server server;
        private final CountDownLatch subscribed = new CountDownLatch(1);
        private volatile StreamObserver<byte[]> subscriber;

        RelayServer() throws IOException {
            ServerServiceDefinition service = ServerServiceDefinition.builder("bench.Relay")
                    .addMethod(PUBLISH, ServerCalls.asyncClientStreamingCall(this::forwardTo))
                    .addMethod(SUBSCRIBE, ServerCalls.asyncServerStreamingCall((request, response) -> {
                        subscriber = response;
                        subscribed.countDown();
                        if (request.length > 0) {
                            response.onNext(request);
                        }
                    }))
                    .build();
            server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0)).directExecutor()
                    .addService(service).build().start();
        }

        /** A new plaintext channel (its own TCP connection, made on the first call) to this server. */
        ManagedChannel newChannel() {
            int port = ((InetSocketAddress) server.getListenSockets().get(0)).getPort();
            return NettyChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().directExecutor().build();
        }

        /** Ends the latest subscribe call from the server side, as a node dropping a connection does. */
        void dropSubscriber() {
            subscriber.onError(Status.UNAVAILABLE.withDescription("dropped").asRuntimeException());
        }

        /** The server side of a publish call: every message goes straight to the subscriber. */
        private StreamObserver<byte[]> forwardTo(StreamObserver<byte[]> response) {
            return new StreamObserver<byte[]>() {
                @Override
                public void onNext(byte[] message) {
                    subscriber.onNext(message);
                }

                @Override
                public void onError(Throwable t) {
                }

                @Override
                public void onCompleted() {
                    response.onNext(new byte[0]);
                    response.onCompleted();
                }
            };
        }

        @Override
        public void close() throws InterruptedException {
            server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
    }

    @Override
    public void send(byte[] message) {
        publisher.onNext(message);
    }

    @Override
    public void close() throws InterruptedException {
        publisher.onCompleted();
        publisherChannel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        subscriberChannel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        server.close();
    }

    private static MethodDescriptor<byte[], byte[]> method(String name, MethodDescriptor.MethodType type) {
        return MethodDescriptor.<byte[], byte[]>newBuilder().setType(type)
                .setFullMethodName(MethodDescriptor.generateFullMethodName("bench.Relay", name))
                .setRequestMarshaller(BYTES).setResponseMarshaller(BYTES).build();
    }

    static class Ignoring implements StreamObserver<byte[]> {
        @Override
        public void onNext(byte[] value) {
        }

        @Override
        public void onError(Throwable t) {
        }

        @Override
        public void onCompleted() {
        }
    }
}
