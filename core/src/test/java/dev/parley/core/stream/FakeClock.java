package dev.parley.core.stream;

import java.time.Duration;
import java.util.PriorityQueue;

/**
 * A {@link Scheduler} whose time moves only when a test says so (like grpc-java's FakeClock):
 * {@link #forward} runs every timer that falls due, in time order, on the calling thread.
 */
final class FakeClock implements Scheduler {
    private final PriorityQueue<Task> tasks = new PriorityQueue<>();
    private long now;
    private long nextId;

    @Override
    public synchronized long nanoTime() {
        return now;
    }

    @Override
    public synchronized Timer schedule(Duration delay, Runnable task) {
        Task scheduled = new Task(now + Math.max(0, delay.toNanos()), nextId++, task);
        tasks.add(scheduled);
        return () -> {
            synchronized (this) {
                tasks.remove(scheduled);
            }
        };
    }

    /** Moves time forward by {@code duration}, running what falls due (and what those tasks schedule). */
    void forward(Duration duration) {
        long target;
        synchronized (this) {
            target = now + duration.toNanos();
        }
        while (true) {
            Task due;
            synchronized (this) {
                due = tasks.peek();
                if (due == null || due.at > target) {
                    now = target;
                    return;
                }
                tasks.poll();
                now = due.at;
            }
            due.task.run();
        }
    }

    /** Timers scheduled and neither run nor cancelled. */
    synchronized int pending() {
        return tasks.size();
    }

    private record Task(long at, long id, Runnable task) implements Comparable<Task> {
        @Override
        public int compareTo(Task other) {
            return at != other.at ? Long.compare(at, other.at) : Long.compare(id, other.id);
        }
    }
}
