package dev.parley.node.internal.store.sqlite;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Makes the node database's write-ahead log durable: the writer connection commits with
 * {@code synchronous=NORMAL} (the commit's frames are written to the {@code -wal} file, not yet
 * synced), and {@link #sync} then fsyncs that file. A commit followed by {@link #sync} is on disk
 * exactly as one made with {@code synchronous=FULL} (which only adds that fsync to the commit), so
 * a write acknowledged after it survives a power loss; SQLite still syncs the log before and the
 * database after each checkpoint, so the file stays consistent either way. The log file is never
 * deleted while the writer connection is open (SQLite removes it only when the last connection
 * closes), so one channel serves the store's lifetime. Until the sync, committed entries are not
 * yet durable: the store reports them, and lets readers see them, only afterwards.
 */
final class WalSync implements AutoCloseable {
    private final FileChannel wal;
    /** Runs before each fsync; tests hold the syncer here to look at a committed, not yet durable batch. */
    volatile Runnable beforeSync = () -> { };

    private WalSync(FileChannel wal) {
        this.wal = wal;
    }

    /**
     * Opens the log of {@code database} (open on the writer connection, in WAL mode) and makes what
     * it holds durable: the log's directory entry and whatever an earlier process wrote.
     */
    static WalSync open(Path database) throws IOException {
        Path log = database.resolveSibling(database.getFileName() + "-wal");
        FileChannel wal = FileChannel.open(log, StandardOpenOption.WRITE, StandardOpenOption.CREATE);
        try {
            wal.force(false);
            syncDirectory(database.getParent());
        } catch (IOException | RuntimeException e) {
            wal.close();
            throw e;
        }
        return new WalSync(wal);
    }

    /** Makes the log's name in {@code dir} durable; where directories cannot be opened (Windows), there is nothing to do. */
    private static void syncDirectory(Path dir) {
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        } catch (IOException e) {
            // not supported here
        }
    }

    /** Everything committed so far is on disk when this returns. */
    void sync() throws IOException {
        beforeSync.run();
        wal.force(false);
    }

    @Override
    public void close() throws IOException {
        wal.close();
    }
}
