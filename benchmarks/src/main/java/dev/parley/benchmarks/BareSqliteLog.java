package dev.parley.benchmarks;

import org.sqlite.SQLiteConfig;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * The baseline of {@link NodeStoreBenchmark}'s {@code sqlite} rows ({@code store=sqlite-bare}): what any
 * durable log in SQLite has to do per publish, in plain sqlite-jdbc, with the node store's settings and
 * group commit. Rows of the node's shape (topic id, sequence, timestamp, sender, idempotency key, payload)
 * in a table keyed like the node's ({@code (topic, seq)}, {@code WITHOUT ROWID}) with its unique
 * {@code (topic, idem_key)} index (idempotency is part of the contract); WAL, {@code synchronous=NORMAL},
 * the writer's cache and checkpoint settings. One writer thread takes whatever waits (at most
 * {@value #MAX_BATCH} rows, as the node), inserts it in one transaction and commits; a second thread
 * fsyncs the log once for every commit since its last and then completes the appends. No SDK: no topic
 * table, conversations, membership, bytes per sender, retention index, readers or listeners.
 */
final class BareSqliteLog implements AutoCloseable {
    private static final int MAX_BATCH = 2048;
    private static final Row STOP = new Row(0, null, null, null);

    private final Connection c;
    private final PreparedStatement insert;
    private final FileChannel wal;
    private final long[] lastSequences;
    private final BlockingQueue<Row> queue = new LinkedBlockingQueue<>();
    private final BlockingQueue<List<Row>> unsynced = new LinkedBlockingQueue<>();
    private final Thread writer = new Thread(this::write, "bench-bare-sqlite-writer");
    private final Thread syncer = new Thread(this::sync, "bench-bare-sqlite-syncer");

    private record Row(int topic, String sender, String key, byte[] payload, CompletableFuture<Void> done) {
        Row(int topic, String sender, String key, byte[] payload) {
            this(topic, sender, key, payload, new CompletableFuture<>());
        }
    }

    /** A new log of {@code topics} topics (ids 0 to {@code topics - 1}) in the new database file {@code database}. */
    BareSqliteLog(Path database, int topics) throws SQLException, IOException {
        SQLiteConfig config = new SQLiteConfig();
        config.setJournalMode(SQLiteConfig.JournalMode.WAL);
        config.setSynchronous(SQLiteConfig.SynchronousMode.NORMAL);
        config.setCacheSize(-16 * 1024);
        config.setTempStore(SQLiteConfig.TempStore.MEMORY);
        config.setPragma(SQLiteConfig.Pragma.WAL_AUTOCHECKPOINT, "8192");
        config.setGetGeneratedKeys(false);
        c = config.createConnection("jdbc:sqlite:" + database);
        try (Statement s = c.createStatement()) {
            s.execute("CREATE TABLE messages (topic INTEGER NOT NULL, seq INTEGER NOT NULL, ts INTEGER NOT NULL,"
                    + " sender TEXT NOT NULL, idem_key TEXT NOT NULL, payload BLOB NOT NULL,"
                    + " PRIMARY KEY (topic, seq)) WITHOUT ROWID");
            s.execute("CREATE UNIQUE INDEX messages_by_key ON messages (topic, idem_key)");
        }
        insert = c.prepareStatement("INSERT INTO messages (topic, seq, ts, sender, idem_key, payload)"
                + " VALUES (?, ?, ?, ?, ?, ?)");
        wal = FileChannel.open(database.resolveSibling(database.getFileName() + "-wal"),
                StandardOpenOption.WRITE, StandardOpenOption.CREATE);
        lastSequences = new long[topics];
        writer.setDaemon(true);
        syncer.setDaemon(true);
        writer.start();
        syncer.start();
    }

    /** Appends a row to {@code topic} (at its next sequence); completes once it is on disk. */
    CompletableFuture<Void> append(int topic, byte[] payload, String key, String sender) {
        Row row = new Row(topic, sender, key, payload);
        queue.add(row);
        return row.done;
    }

    private void write() {
        List<Row> rows = new ArrayList<>(MAX_BATCH);
        try {
            while (true) {
                rows.add(queue.take());
                queue.drainTo(rows, MAX_BATCH - 1);
                boolean last = rows.remove(STOP);
                if (!rows.isEmpty()) {
                    commit(rows);
                }
                if (last) {
                    unsynced.add(List.of(STOP));
                    return;
                }
                rows = new ArrayList<>(MAX_BATCH);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void commit(List<Row> rows) {
        try (Statement s = c.createStatement()) {
            s.execute("BEGIN IMMEDIATE");
            for (Row row : rows) {
                long seq = ++lastSequences[row.topic];
                insert.setLong(1, row.topic);
                insert.setLong(2, seq);
                insert.setLong(3, System.nanoTime());
                insert.setString(4, row.sender);
                insert.setString(5, row.key);
                insert.setBytes(6, row.payload);
                insert.executeUpdate();
            }
            s.execute("COMMIT");
            unsynced.add(rows);
        } catch (SQLException e) {
            rows.forEach(row -> row.done.completeExceptionally(e));
        }
    }

    private void sync() {
        List<List<Row>> committed = new ArrayList<>();
        try {
            while (true) {
                committed.add(unsynced.take());
                unsynced.drainTo(committed);
                boolean last = committed.get(committed.size() - 1).contains(STOP);
                try {
                    wal.force(false);
                    committed.forEach(rows -> rows.forEach(row -> row.done.complete(null)));
                } catch (IOException e) {
                    committed.forEach(rows -> rows.forEach(row -> row.done.completeExceptionally(e)));
                }
                committed.clear();
                if (last) {
                    return;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() throws Exception {
        queue.add(STOP);
        writer.join(30_000);
        syncer.join(30_000);
        wal.close();
        insert.close();
        c.close();
    }
}
