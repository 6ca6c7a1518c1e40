package dev.parley.node.internal.store.sqlite;

/** JDBC odds and ends. */
final class Sql {
    private Sql() {
    }

    /** Closes {@code resource} (a statement, a connection), ignoring a failure: it is being given up anyway. */
    static void closeQuietly(AutoCloseable resource) {
        if (resource == null) {
            return;
        }
        try {
            resource.close();
        } catch (Exception ignored) {
            // given up either way
        }
    }
}
