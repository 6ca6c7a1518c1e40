package dev.parley.node.internal.store.sqlite;

import dev.parley.node.internal.log.NodeClock;
import dev.parley.node.store.Appended;
import dev.parley.node.store.StoreException;
import dev.parley.spi.Envelope;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

/** Bad input gives a clear {@link StoreException}, never a crash or a half-written entry; real files only. */
@Timeout(60)
class SqliteNodeStoreFailureTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    @TempDir
    Path dir;

    private static SqliteNodeStore open(Path dir) {
        return SqliteNodeStore.open(dir, new NodeClock());
    }

    private Path database() {
        return dir.resolve(DataDirectory.DATABASE_FILE);
    }

    @Test
    void createsAMissingDirectory() {
        Path nested = dir.resolve("a/b/c");
        try (SqliteNodeStore store = open(nested)) {
            assertThat(store.epoch()).isNotBlank();
        }
        assertThat(nested.resolve(DataDirectory.DATABASE_FILE)).isRegularFile();
    }

    @Test
    void refusesACorruptFile() throws Exception {
        byte[] garbage = new byte[8192];
        for (int i = 0; i < garbage.length; i++) {
            garbage[i] = (byte) (i * 31 + 7);
        }
        Files.write(database(), garbage);

        assertThatThrownBy(() -> open(dir)).isInstanceOf(StoreException.class)
                .hasMessageContaining(database().toString()).hasMessageContaining("not a SQLite database");
        assertThat(Files.readAllBytes(database())).isEqualTo(garbage);
    }

    @Test
    void refusesAForeignSqliteDatabase() throws Exception {
        sql("CREATE TABLE accounts (id INTEGER PRIMARY KEY, owner TEXT)");

        assertThatThrownBy(() -> open(dir)).isInstanceOf(StoreException.class)
                .hasMessageContaining("not a Parley node database");
        assertThat(sqlInt("SELECT count(*) FROM sqlite_schema WHERE type = 'table'")).isEqualTo(1);
    }

    @Test
    void refusesANewerSchema() throws Exception {
        open(dir).close();
        sql("UPDATE meta SET value = '99' WHERE key = 'schema_version'");

        assertThatThrownBy(() -> open(dir)).isInstanceOf(StoreException.class)
                .hasMessageContaining("schema version 99").hasMessageContaining("newer");
    }

    @Test
    void refusesADirectoryAnotherStoreHolds() {
        try (SqliteNodeStore first = open(dir)) {
            assertThatThrownBy(() -> open(dir)).isInstanceOf(StoreException.class)
                    .hasMessageContaining("already open");
            assertThat(first.append("t", new byte[] {1}, "k", "s")).succeedsWithin(WAIT);
        }
        open(dir).close(); // released on close
    }

    @Test
    void refusesAPathThatIsAFile() throws Exception {
        Path file = Files.writeString(dir.resolve("plain-file"), "not a directory");

        assertThatThrownBy(() -> open(file.resolve("data"))).isInstanceOf(StoreException.class)
                .hasMessageContaining("cannot create data directory");
        assertThatThrownBy(() -> open(file)).isInstanceOf(StoreException.class);
    }

    @Test
    void refusesAReadOnlyDirectory() throws Exception {
        assumeThat(System.getProperty("user.name")).as("root writes to read-only directories").isNotEqualTo("root");
        Path readOnly = Files.createDirectory(dir.resolve("read-only"));
        Files.setPosixFilePermissions(readOnly, PosixFilePermissions.fromString("r-xr-xr-x"));
        try {
            assertThatThrownBy(() -> open(readOnly)).isInstanceOf(StoreException.class)
                    .hasMessageContaining("cannot write to data directory");
        } finally {
            Files.setPosixFilePermissions(readOnly, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
    }

    @Test
    void refusesADirectoryNobodyMayWrite() {
        Path proc = Path.of("/proc/self");
        assumeThat(Files.isDirectory(proc)).as("Linux /proc").isTrue();

        assertThatThrownBy(() -> open(proc)).isInstanceOf(StoreException.class)
                .hasMessageContaining("cannot write to data directory");
    }

    @Test
    void aFullDiskFailsThosePublishesOnlyAndTheStoreRecovers() throws Exception {
        try (SqliteNodeStore store = open(dir)) {
            assertThat(store.append("t", new byte[100], "before", "s")).succeedsWithin(WAIT);
            long pages = onWriter(store, c -> {
                try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("PRAGMA page_count")) {
                    rs.next();
                    long count = rs.getLong(1);
                    s.execute("PRAGMA max_page_count = " + count);
                    return count;
                }
            });
            assertThat(pages).isPositive();

            List<CompletableFuture<Appended>> failing = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                failing.add(store.append("t", new byte[64 * 1024], "full-" + i, "s"));
            }
            for (CompletableFuture<Appended> f : failing) {
                assertThat(f).failsWithin(WAIT).withThrowableThat().havingCause()
                        .isInstanceOf(StoreException.class).withMessageContaining("disk is full");
            }
            assertThat(store.read("t", 0, 100)).extracting(Envelope::idempotencyKey).containsExactly("before");
            assertThat(store.lastSequence("t")).isEqualTo(1);

            onWriter(store, c -> {
                try (Statement s = c.createStatement()) {
                    s.execute("PRAGMA max_page_count = 1073741823");
                }
                return null;
            });
            Appended after = store.append("t", new byte[64 * 1024], "full-0", "s").get(10, TimeUnit.SECONDS);
            assertThat(after.isNew()).isTrue();
            assertThat(after.envelope().sequence()).isEqualTo(2);
        }
        try (SqliteNodeStore reopened = open(dir)) {
            assertThat(reopened.read("t", 0, 100)).extracting(Envelope::idempotencyKey).containsExactly("before", "full-0");
        }
    }

    private interface WriterCall<T> {
        T run(Connection c) throws SQLException;
    }

    private static <T> T onWriter(SqliteNodeStore store, WriterCall<T> call) throws Exception {
        return store.writer().submit(new PendingWrite<T>() {
            @Override
            T apply(WriteBatch batch) throws SQLException {
                return call.run(batch.connection());
            }
        }).get(10, TimeUnit.SECONDS);
    }

    private void sql(String statement) throws SQLException {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + database());
             Statement s = c.createStatement()) {
            s.execute(statement);
        }
    }

    private int sqlInt(String query) throws SQLException {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + database());
             Statement s = c.createStatement(); ResultSet rs = s.executeQuery(query)) {
            rs.next();
            return rs.getInt(1);
        }
    }
}
