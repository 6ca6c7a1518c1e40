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
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;

/**
 * Bare grpc-java bidi publish: one call, the client streams messages, the server answers each
 * with its own acknowledgement message; direct executors, and event loops as a Parley node and client
 * have them (the server two threads, the client one of its own).
 */
final class GrpcAckedPublisher extends AckedPublisher {
    private static final MethodDescriptor<byte[], byte[]> PUBLISH = MethodDescriptor.<byte[], byte[]>newBuilder()
            .setType(MethodDescriptor.MethodType.BIDI_STREAMING)
            .setFullMethodName(MethodDescriptor.generateFullMethodName("bench.AckedPublish", "Publish"))
            .setRequestMarshaller(GrpcRelay.BYTES).setResponseMarshaller(GrpcRelay.BYTES).build();

    private final EventLoopGroup serverLoops = new MultiThreadIoEventLoopGroup(2, NioIoHandler.newFactory());
    private final EventLoopGroup clientLoop = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    private final Server server;
    private final ManagedChannel channel;
    private final StreamObserver<byte[]> requests;

    GrpcAckedPublisher() throws IOException {
        ServerServiceDefinition service = ServerServiceDefinition.builder("bench.AckedPublish")
                .addMethod(PUBLISH, ServerCalls.asyncBidiStreamingCall(GrpcAckedPublisher::acknowledging))
                .build();
        server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0)).directExecutor()
                .bossEventLoopGroup(serverLoops).workerEventLoopGroup(serverLoops)
                .channelType(NioServerSocketChannel.class)
                .addService(service).build().start();
        int port = ((InetSocketAddress) server.getListenSockets().get(0)).getPort();
        channel = NettyChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().directExecutor()
                .eventLoopGroup(clientLoop).channelType(NioSocketChannel.class).build();
        requests = ClientCalls.asyncBidiStreamingCall(channel.newCall(PUBLISH, CallOptions.DEFAULT),
                new GrpcRelay.Ignoring() {
                    @Override
                    public void onNext(byte[] ack) {
                        acknowledged(ByteBuffer.wrap(ack));
                    }
                });
    }

    /** The server side of a publish call: every message is answered with its acknowledgement. */
    private static StreamObserver<byte[]> acknowledging(StreamObserver<byte[]> acks) {
        return new GrpcRelay.Ignoring() {
            private long sequence;

            @Override
            public void onNext(byte[] message) {
                acks.onNext(ackOf(ByteBuffer.wrap(message), ++sequence));
            }

            @Override
            public void onCompleted() {
                acks.onCompleted();
            }
        };
    }

    @Override
    protected void send(byte[] message) {
        requests.onNext(message);
    }

    @Override
    public void close() throws InterruptedException {
        requests.onCompleted();
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        clientLoop.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
        serverLoops.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
    }
}
