package dev.parley.node.store.postgresql;

import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Properties;
import java.util.function.Consumer;

/**
 * The node's one {@code LISTEN} connection (its own, never a pooled one: a pool would hand it to others
 * and drop what it listens to): a thread that waits for notifications on the store's channel and hands
 * each payload on. When the connection dies (server restart, {@code pg_terminate_backend}, network) it
 * reconnects with backoff (100 ms doubling to 5 s) and calls {@code onConnected} again, so the store
 * reconciles what it missed meanwhile. A connection that stays silent is checked every few seconds.
 */
final class NotificationListener implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(NotificationListener.class);
    private static final int POLL_MS = 250;
    private static final Duration FIRST_BACKOFF = Duration.ofMillis(100);
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(5);
    private static final long PING_AFTER_NS = Duration.ofSeconds(5).toNanos();

    /** {@code application_name} of the listening connection (in {@code pg_stat_activity}). */
    static final String APPLICATION_NAME = "parley-node-listen";

    private final PostgresSettings settings;
    private final Properties properties;
    private final Consumer<String> payloads;
    private final Runnable onConnected;
    private final Thread thread;
    private final Object sleeper = new Object();
    private volatile boolean closed;
    private volatile boolean connected;

    /**
     * @param payloads    hears each notification's payload, on the listener thread (it must only hand work on)
     * @param onConnected runs on the listener thread after each (re)connection, once it listens
     */
    NotificationListener(PostgresSettings settings, Consumer<String> payloads, Runnable onConnected) {
        this.settings = settings;
        this.properties = new Properties();
        this.properties.putAll(settings.properties());
        this.properties.setProperty("ApplicationName", APPLICATION_NAME);
        this.payloads = payloads;
        this.onConnected = onConnected;
        this.thread = new Thread(this::run, "parley-pg-listen-" + settings.channel());
        this.thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    /** Whether the listener holds a live connection now (for tests and health checks). */
    boolean isConnected() {
        return connected;
    }

    private void run() {
        Duration backoff = FIRST_BACKOFF;
        while (!closed) {
            try (Connection c = DriverManager.getConnection(settings.jdbcUrl(), properties)) {
                try (Statement s = c.createStatement()) {
                    s.execute("LISTEN \"" + settings.channel() + "\"");
                }
                connected = true;
                log.info("listening for other nodes' commits on {} ({})", settings.channel(), settings.describe());
                backoff = FIRST_BACKOFF;
                onConnected.run();
                listen(c);
            } catch (SQLException e) {
                if (closed) {
                    break;
                }
                log.warn("lost the listening connection to {} ({}); reconnecting in {} ms", settings.describe(),
                        e.getMessage(), backoff.toMillis());
            } catch (RuntimeException e) {
                log.error("listener on {} failed; reconnecting in {} ms", settings.channel(), backoff.toMillis(), e);
            } finally {
                connected = false;
            }
            pause(backoff);
            backoff = backoff.multipliedBy(2).compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : backoff.multipliedBy(2);
        }
    }

    private void listen(Connection c) throws SQLException {
        PGConnection pg = c.unwrap(PGConnection.class);
        long quietSince = System.nanoTime();
        while (!closed) {
            PGNotification[] received = pg.getNotifications(POLL_MS);
            if (received != null && received.length > 0) {
                for (PGNotification n : received) {
                    payloads.accept(n.getParameter());
                }
                quietSince = System.nanoTime();
            } else if (System.nanoTime() - quietSince > PING_AFTER_NS) {
                try (Statement s = c.createStatement()) {
                    s.execute("SELECT 1"); // a dead peer shows up here, not in a silent wait
                }
                quietSince = System.nanoTime();
            }
        }
    }

    private void pause(Duration d) {
        synchronized (sleeper) {
            if (!closed) {
                try {
                    sleeper.wait(d.toMillis());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    closed = true;
                }
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        synchronized (sleeper) {
            sleeper.notifyAll();
        }
        try {
            thread.join(Duration.ofSeconds(5).toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
