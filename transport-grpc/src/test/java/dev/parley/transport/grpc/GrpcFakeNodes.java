package dev.parley.transport.grpc;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.parley.protocol.ClientFrame;
import dev.parley.tck.fuzz.FakeNode;
import io.grpc.Server;
import io.grpc.ServerServiceDefinition;
import io.grpc.Status;
import io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.ServerCalls;
import io.grpc.stub.StreamObserver;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.concurrent.TimeUnit;

/** Fake nodes on gRPC for the fuzzing suites: {@code Connect} calls whose answers are any bytes. */
final class GrpcFakeNodes implements FakeNode.Factory {
    @Override
    public FakeNode start(FakeNode.Script script) {
        ServerServiceDefinition service = ServerServiceDefinition.builder(GrpcProtocol.SERVICE)
                .addMethod(GrpcByteLinks.RAW_CONNECT, ServerCalls.asyncBidiStreamingCall(responses -> connect(script,
                        (ServerCallStreamObserver<byte[]>) responses)))
                .build();
        Server server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0)).addService(service).build();
        try {
            server.start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        URI endpoint = URI.create("grpc://127.0.0.1:" + ((InetSocketAddress) server.getListenSockets().get(0)).getPort());
        return FakeNode.of(endpoint, () -> {
            server.shutdownNow();
            try {
                server.awaitTermination(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
    }

    private static StreamObserver<byte[]> connect(FakeNode.Script script, ServerCallStreamObserver<byte[]> out) {
        FakeNode.Peer peer = new FakeNode.Peer() {
            private boolean done; // guarded by this

            @Override
            public synchronized void send(byte[] frame) {
                if (!done && !out.isCancelled()) {
                    out.onNext(frame);
                }
            }

            @Override
            public synchronized void close() {
                if (!done) {
                    done = true;
                    out.onError(Status.UNAVAILABLE.withDescription("fake node closes").asRuntimeException());
                }
            }
        };
        return new StreamObserver<>() {
            @Override
            public void onNext(byte[] bytes) {
                try {
                    script.onFrame(peer, ClientFrame.parseFrom(bytes));
                } catch (InvalidProtocolBufferException e) {
                    script.onMalformed(peer);
                }
            }

            @Override
            public void onError(Throwable t) {
            }

            @Override
            public void onCompleted() {
                peer.close();
            }
        };
    }
}
