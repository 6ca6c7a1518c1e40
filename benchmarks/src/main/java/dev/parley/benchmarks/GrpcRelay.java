package dev.parley.benchmarks;

import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.MethodDescriptor;
import io.grpc.Server;
import io.grpc.ServerServiceDefinition;
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
    private static final MethodDescriptor.Marshaller<byte[]> BYTES = new MethodDescriptor.Marshaller<>() {
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

    private final Server server;
    private final ManagedChannel publisherChannel;
    private final ManagedChannel subscriberChannel;
    private final StreamObserver<byte[]> publisher;
    private volatile StreamObserver<byte[]> subscriber;

    GrpcRelay(Runnable onReceive) throws IOException, InterruptedException {
        CountDownLatch subscribed = new CountDownLatch(1);
        ServerServiceDefinition service = ServerServiceDefinition.builder("bench.Relay")
                .addMethod(PUBLISH, ServerCalls.asyncClientStreamingCall(this::forwardTo))
                .addMethod(SUBSCRIBE, ServerCalls.asyncServerStreamingCall((request, response) -> {
                    subscriber = response;
                    subscribed.countDown();
                }))
                .build();
        server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0)).directExecutor()
                .addService(service).build().start();
        int port = ((InetSocketAddress) server.getListenSockets().get(0)).getPort();
        subscriberChannel = NettyChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().directExecutor().build();
        publisherChannel = NettyChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().directExecutor().build();
        ClientCalls.asyncServerStreamingCall(subscriberChannel.newCall(SUBSCRIBE, CallOptions.DEFAULT), new byte[0],
                new Ignoring() {
                    @Override
                    public void onNext(byte[] value) {
                        onReceive.run();
                    }
                });
        if (!subscribed.await(10, TimeUnit.SECONDS)) {
            throw new IllegalStateException("bare gRPC subscriber did not connect");
        }
        publisher = ClientCalls.asyncClientStreamingCall(publisherChannel.newCall(PUBLISH, CallOptions.DEFAULT),
                new Ignoring());
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
    public void send(byte[] message) {
        publisher.onNext(message);
    }

    @Override
    public void close() throws InterruptedException {
        publisher.onCompleted();
        publisherChannel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        subscriberChannel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }

    private static MethodDescriptor<byte[], byte[]> method(String name, MethodDescriptor.MethodType type) {
        return MethodDescriptor.<byte[], byte[]>newBuilder().setType(type)
                .setFullMethodName(MethodDescriptor.generateFullMethodName("bench.Relay", name))
                .setRequestMarshaller(BYTES).setResponseMarshaller(BYTES).build();
    }

    private static class Ignoring implements StreamObserver<byte[]> {
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
