package dev.parley.node.store.postgresql;

import dev.parley.node.store.StoreException;

import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;

/** Turns PostgreSQL's failures into {@link StoreException}s that say what went wrong in words an operator acts on. */
final class PostgresErrors {
    private PostgresErrors() {
    }

    /** {@code doing} names the operation, e.g. "append to conv/x". */
    static StoreException of(String doing, PostgresSettings settings, SQLException e) {
        return new StoreException("cannot " + doing + " on PostgreSQL " + settings.describe() + ": " + reason(e), e);
    }

    /**
     * Whether {@code e} says the connection was lost (killed by the server, network) rather than that
     * the statement failed: a read may then run again on another connection of the pool.
     */
    static boolean connectionLost(SQLException e) {
        String state = e.getSQLState() == null ? "" : e.getSQLState();
        return !(e instanceof SQLTransientConnectionException) // the pool timed out: the database is away
                && (state.startsWith("08") || state.equals("57P01") || state.equals("57P02"));
    }

    private static String reason(SQLException e) {
        String state = e.getSQLState() == null ? "" : e.getSQLState();
        String why;
        if (state.startsWith("08") || state.equals("57P01") || state.equals("57P02") || state.equals("57P03")) {
            why = "the connection to the database failed or was closed by the server";
        } else if (state.equals("40P01") || state.equals("40001")) {
            why = "the transaction collided with another one";
        } else if (state.equals("53100")) {
            why = "the database server's disk is full";
        } else if (state.startsWith("28")) {
            why = "the database refused the user or password";
        } else if (state.equals("3D000")) {
            why = "the database does not exist";
        } else {
            why = "database error";
        }
        return why + " (" + (state.isEmpty() ? "" : state + ": ") + e.getMessage() + ")";
    }
}
