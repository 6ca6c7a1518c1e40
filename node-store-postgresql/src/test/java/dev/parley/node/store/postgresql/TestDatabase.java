package dev.parley.node.store.postgresql;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A database of its own for one test class ({@code @RegisterExtension static final TestDatabase database =
 * new TestDatabase();}) on the PostgreSQL of this machine ({@code 127.0.0.1:5432}, user {@code postgres},
 * trust authentication; another with env {@code PARLEY_TEST_POSTGRES=host:port}), created before the
 * class's tests and dropped after them. Without a PostgreSQL the class is skipped, unless env {@code CI}
 * is set: then it fails. Each store of a test gets a schema of its own ({@link #freshStore}) unless it
 * shares one.
 */
public final class TestDatabase implements BeforeAllCallback, AfterAllCallback {
    private static final AtomicBoolean SAID_SKIPPED = new AtomicBoolean();
    private static final String SERVER = System.getenv().getOrDefault("PARLEY_TEST_POSTGRES", "127.0.0.1:5432");
    private final String name = "parley_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    private final AtomicInteger schemas = new AtomicInteger();
    private boolean created;

    /** Creates the database; skips the test class when no PostgreSQL answers (fails with env CI). */
    @Override
    public void beforeAll(ExtensionContext context) {
        try (Connection c = admin("postgres"); Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + name);
            created = true;
        } catch (SQLException e) {
            String what = "no PostgreSQL at " + SERVER + " (" + e.getMessage() + "): start PostgreSQL 15 there"
                    + " (user postgres, trust authentication) to run the PostgreSQL store tests";
            if (System.getenv("CI") != null) {
                throw new IllegalStateException(what, e);
            }
            if (SAID_SKIPPED.compareAndSet(false, true)) {
                LoggerFactory.getLogger(TestDatabase.class).warn("SKIPPED: {}", what);
            }
            Assumptions.abort(what);
        }
    }

    /** The database's name. */
    public String name() {
        return name;
    }

    /** The store URI of schema {@code schema} of this database. */
    public URI uri(String schema) {
        return URI.create("postgresql://postgres@" + SERVER + "/" + name + "?schema=" + schema + "&poolSize=4");
    }

    /** The URI of a schema no store used yet. */
    public URI freshStore() {
        return uri("s" + schemas.incrementAndGet());
    }

    /** A connection to {@code database} that no store uses (for setup and fault injection). */
    public static Connection admin(String database) throws SQLException {
        Properties p = new Properties();
        p.setProperty("user", "postgres");
        p.setProperty("ApplicationName", "parley-test-admin");
        return DriverManager.getConnection("jdbc:postgresql://" + SERVER + "/" + database, p);
    }

    /**
     * Ends the server processes of this database's connections whose {@code application_name} is
     * {@code application} (every one but the caller's when null), as an operator or a failover would.
     *
     * @return how many were ended
     */
    public int terminateConnections(String application) throws SQLException {
        try (Connection c = admin("postgres");
             PreparedStatement q = c.prepareStatement("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity"
                     + " WHERE datname = ? AND pid <> pg_backend_pid() AND (?::text IS NULL OR application_name = ?)")) {
            q.setString(1, name);
            q.setString(2, application);
            q.setString(3, application);
            try (ResultSet rs = q.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }

    /** Drops the database (and ends the connections still on it). */
    @Override
    public void afterAll(ExtensionContext context) throws SQLException {
        if (!created) {
            return;
        }
        try (Connection c = admin("postgres"); Statement s = c.createStatement()) {
            s.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
        }
    }
}
