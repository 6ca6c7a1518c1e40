package dev.parley.transport.grpc;

import dev.parley.spi.node.NodeAccess;
import io.grpc.Status;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * {@code grpc.health.v1.Health} on the node's gRPC port, for the whole server ({@code ""}) and for
 * {@code parley.v1.Parley}: SERVING while the node serves ({@link NodeAccess#health()}), else
 * NOT_SERVING. {@code Watch} looks again every {@link #WATCH_INTERVAL} and sends each change; when
 * the endpoint closes, every watch gets NOT_SERVING before its connection goes.
 */
final class GrpcHealth extends HealthGrpc.HealthImplBase {
    static final Duration WATCH_INTERVAL = Duration.ofSeconds(1);
    private static final Set<String> SERVICES = Set.of("", GrpcProtocol.SERVICE);

    private final NodeAccess node;
    private final ScheduledExecutorService timers;
    private final Set<Watch> watches = ConcurrentHashMap.newKeySet();
    private volatile boolean closing;

    GrpcHealth(NodeAccess node, ScheduledExecutorService timers) {
        this.node = node;
        this.timers = timers;
    }

    /** The endpoint closes: every watch hears NOT_SERVING, and ends. */
    void close() {
        closing = true;
        watches.forEach(Watch::end);
    }

    private ServingStatus status() {
        return !closing && node.health().serving() ? ServingStatus.SERVING : ServingStatus.NOT_SERVING;
    }

    private static HealthCheckResponse response(ServingStatus status) {
        return HealthCheckResponse.newBuilder().setStatus(status).build();
    }

    @Override
    public void check(HealthCheckRequest request, StreamObserver<HealthCheckResponse> responses) {
        if (!SERVICES.contains(request.getService())) {
            responses.onError(Status.NOT_FOUND.withDescription("unknown service " + request.getService())
                    .asRuntimeException());
            return;
        }
        responses.onNext(response(status()));
        responses.onCompleted();
    }

    @Override
    public void watch(HealthCheckRequest request, StreamObserver<HealthCheckResponse> responses) {
        if (!SERVICES.contains(request.getService())) {
            responses.onNext(response(ServingStatus.SERVICE_UNKNOWN)); // as the protocol says: no error, no updates
            return;
        }
        new Watch((ServerCallStreamObserver<HealthCheckResponse>) responses).start();
    }

    /** One {@code Watch} call: sends the status, then each change, until the client cancels. */
    private final class Watch {
        private final ServerCallStreamObserver<HealthCheckResponse> responses;
        private ServingStatus sent;
        private ScheduledFuture<?> task;
        private boolean cancelled;

        Watch(ServerCallStreamObserver<HealthCheckResponse> responses) {
            this.responses = responses;
        }

        void start() {
            responses.setOnCancelHandler(this::cancel);
            watches.add(this);
            send();
            synchronized (this) {
                if (!cancelled) {
                    task = timers.scheduleWithFixedDelay(this::send, WATCH_INTERVAL.toNanos(),
                            WATCH_INTERVAL.toNanos(), TimeUnit.NANOSECONDS);
                }
            }
        }

        private synchronized void send() {
            ServingStatus now = status();
            if (!cancelled && now != sent) {
                sent = now;
                responses.onNext(response(now));
            }
        }

        /** Sends the status if it changed (NOT_SERVING once the endpoint closes), then ends the call. */
        synchronized void end() {
            send();
            if (!cancelled) {
                responses.onCompleted();
                cancel();
            }
        }

        private synchronized void cancel() {
            cancelled = true;
            watches.remove(this);
            if (task != null) {
                task.cancel(false);
            }
        }
    }
}
