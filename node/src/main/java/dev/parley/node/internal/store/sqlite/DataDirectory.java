package dev.parley.node.internal.store.sqlite;

import dev.parley.node.store.StoreException;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The node's data directory, created if missing and held with an exclusive lock on
 * {@value #LOCK_FILE} for as long as the store is open: one node process per directory. The
 * operating system releases the lock when the process dies, however it dies.
 */
final class DataDirectory implements AutoCloseable {
    static final String LOCK_FILE = "parley-node.lock";
    static final String DATABASE_FILE = "parley-node.db";

    private final Path dir;
    private final FileChannel lockChannel;
    private final FileLock lock;

    private DataDirectory(Path dir, FileChannel lockChannel, FileLock lock) {
        this.dir = dir;
        this.lockChannel = lockChannel;
        this.lock = lock;
    }

    /** @throws StoreException the directory cannot be made or written, or another node holds it */
    static DataDirectory lock(Path dir) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new StoreException("cannot create data directory " + dir + ": " + e, e);
        }
        FileChannel channel;
        try {
            channel = FileChannel.open(dir.resolve(LOCK_FILE), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        } catch (IOException e) {
            throw new StoreException("cannot write to data directory " + dir + " (read-only?): " + e, e);
        }
        try {
            FileLock lock = channel.tryLock();
            if (lock == null) {
                throw new StoreException("data directory " + dir + " is in use by another node process (" + LOCK_FILE
                        + " is locked)");
            }
            return new DataDirectory(dir, channel, lock);
        } catch (OverlappingFileLockException e) {
            Sql.closeQuietly(channel);
            throw new StoreException("data directory " + dir + " is already open in this process", e);
        } catch (IOException e) {
            Sql.closeQuietly(channel);
            throw new StoreException("cannot lock data directory " + dir + ": " + e, e);
        } catch (StoreException e) {
            Sql.closeQuietly(channel);
            throw e;
        }
    }

    Path database() {
        return dir.resolve(DATABASE_FILE);
    }

    @Override
    public void close() {
        try {
            lock.release();
        } catch (IOException e) {
            // closing the channel releases it too
        }
        Sql.closeQuietly(lockChannel);
    }
}
