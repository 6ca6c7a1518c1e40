package dev.parley.benchmarks;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;

/**
 * A fresh PostgreSQL database on the local server (127.0.0.1:5432, user {@code postgres}, trust
 * authentication, as on the project's machines) for one benchmark iteration; dropped on close.
 */
final class PostgresDatabase implements AutoCloseable {
    private static final String SERVER = "jdbc:postgresql://127.0.0.1:5432/postgres";

    private final String name;

    private PostgresDatabase(String name) {
        this.name = name;
    }

    static PostgresDatabase create() throws SQLException {
        String name = "parley_bench_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        execute("CREATE DATABASE " + name);
        return new PostgresDatabase(name);
    }

    /** The node store URI of this database. */
    String storeUri() {
        return "postgresql://postgres@127.0.0.1:5432/" + name;
    }

    @Override
    public void close() throws SQLException {
        execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
    }

    private static void execute(String sql) throws SQLException {
        try (Connection c = DriverManager.getConnection(SERVER, "postgres", ""); Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }
}
