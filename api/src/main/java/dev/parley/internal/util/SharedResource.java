package dev.parley.internal.util;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * One instance of something expensive (a thread pool, an event loop group) that every client of the
 * JVM shares: made when the first user {@linkplain #acquire() acquires} it and destroyed as soon as the
 * last user releases its lease, so a JVM whose clients are all closed holds none of its threads.
 *
 * @param <T> what is shared
 */
public final class SharedResource<T> {
    private static final List<SharedResource<?>> ALL = new CopyOnWriteArrayList<>();

    private final String threadPrefix;
    private final Supplier<T> create;
    private final Consumer<T> destroy;
    private T instance; // guarded by this
    private int users;  // guarded by this

    /**
     * @param threadPrefix the names of the threads the resource starts begin with this (see {@link #isHeldThread})
     * @param create       makes the resource (for the first user)
     * @param destroy      frees it once the last user has released it; must not wait for the resource's own threads
     */
    public SharedResource(String threadPrefix, Supplier<T> create, Consumer<T> destroy) {
        this.threadPrefix = threadPrefix;
        this.create = create;
        this.destroy = destroy;
        ALL.add(this);
    }

    /** A lease on the shared instance, made now if nobody holds one; close the lease when done with it. */
    public Lease<T> acquire() {
        synchronized (this) {
            if (users == 0) {
                instance = create.get();
            }
            users++;
            return new Lease<>(this, instance);
        }
    }

    /** How many leases are open now. */
    public synchronized int users() {
        return users;
    }

    /**
     * True when {@code thread} is one of a shared resource's threads and that resource is still in use:
     * such a thread is nobody's leak, it ends when the last user releases the resource.
     */
    public static boolean isHeldThread(Thread thread) {
        return ALL.stream().anyMatch(r -> thread.getName().startsWith(r.threadPrefix) && r.users() > 0);
    }

    private void release() {
        T last;
        synchronized (this) {
            if (--users > 0) {
                return;
            }
            last = instance;
            instance = null;
        }
        destroy.accept(last);
    }

    /** One user's hold on a {@link SharedResource}; {@link #close()} is idempotent. */
    public static final class Lease<T> implements AutoCloseable {
        private final SharedResource<T> resource;
        private final T instance;
        private final AtomicBoolean released = new AtomicBoolean();

        private Lease(SharedResource<T> resource, T instance) {
            this.resource = resource;
            this.instance = instance;
        }

        /** The shared instance; not to be used after {@link #close()}. */
        public T get() {
            return instance;
        }

        @Override
        public void close() {
            if (released.compareAndSet(false, true)) {
                resource.release();
            }
        }
    }
}
