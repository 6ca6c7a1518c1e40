package dev.parley.core.store.sqlite;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Prepared statements of one connection, made once per SQL text. Used under the database's lock only. */
final class Statements implements AutoCloseable {
    private final Connection connection;
    private final Map<String, PreparedStatement> prepared = new HashMap<>();

    /** Binds a statement's parameters. */
    interface Binder {
        void bind(PreparedStatement statement) throws SQLException;
    }

    Statements(Connection connection) {
        this.connection = connection;
    }

    PreparedStatement get(String sql) throws SQLException {
        PreparedStatement statement = prepared.get(sql);
        if (statement == null) {
            statement = connection.prepareStatement(sql);
            prepared.put(sql, statement);
        }
        return statement;
    }

    /** Runs {@code sql} with the values {@code binder} binds; returns the rows changed. */
    int update(String sql, Binder binder) throws SQLException {
        PreparedStatement statement = get(sql);
        binder.bind(statement);
        return statement.executeUpdate();
    }

    /** Runs {@code sql} with {@code args} bound in order; returns the rows changed. */
    int update(String sql, Object... args) throws SQLException {
        return update(sql, statement -> {
            for (int i = 0; i < args.length; i++) {
                statement.setObject(i + 1, args[i]);
            }
        });
    }

    /** Reads one result row. */
    interface RowReader<T> {
        T read(ResultSet row) throws SQLException;
    }

    /** Every row of {@code sql} with {@code args} bound in order. */
    <T> List<T> query(String sql, RowReader<T> reader, Object... args) throws SQLException {
        List<T> result = new ArrayList<>();
        each(sql, row -> result.add(reader.read(row)), args);
        return result;
    }

    /** Handles one result row. */
    interface RowHandler {
        void handle(ResultSet row) throws SQLException;
    }

    /** Hands every row of {@code sql} with {@code args} bound in order to {@code handler}. */
    void each(String sql, RowHandler handler, Object... args) throws SQLException {
        PreparedStatement statement = get(sql);
        for (int i = 0; i < args.length; i++) {
            statement.setObject(i + 1, args[i]);
        }
        try (ResultSet rows = statement.executeQuery()) {
            while (rows.next()) {
                handler.handle(rows);
            }
        }
    }

    @Override
    public void close() {
        for (PreparedStatement statement : prepared.values()) {
            try {
                statement.close();
            } catch (SQLException ignored) {
                // the connection closes next
            }
        }
        prepared.clear();
    }
}
