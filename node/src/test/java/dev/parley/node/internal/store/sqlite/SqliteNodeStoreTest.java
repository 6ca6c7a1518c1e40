package dev.parley.node.internal.store.sqlite;

import dev.parley.node.internal.log.NodeClock;
import dev.parley.node.internal.store.NodeStoreContract;
import dev.parley.node.store.Appended;
import dev.parley.node.store.NodeStore;
import dev.parley.spi.Envelope;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

class SqliteNodeStoreTest extends NodeStoreContract {
    private final AtomicInteger dirs = new AtomicInteger();
    @TempDir
    Path temp;
    private Path dir;

    @Override
    protected NodeStore openFresh(NodeClock clock) {
        dir = temp.resolve("node-" + dirs.incrementAndGet());
        return SqliteNodeStore.open(dir, clock);
    }

    private NodeStore reopen() {
        store.close();
        return track(SqliteNodeStore.open(dir, new NodeClock()));
    }

    @Test
    void keepsEntriesEpochAndKeysAcrossReopen() {
        Path first = dir;
        Appended original = append(store, "t", "original", "k");
        append("t", "second");
        String epoch = store.epoch();

        NodeStore reopened = reopen();

        assertThat(first).isEqualTo(dir);
        assertThat(reopened.epoch()).isEqualTo(epoch);
        assertThat(reopened.read("t", 0, 10)).extracting(Envelope::sequence).containsExactly(1L, 2L);
        assertThat(reopened.lastSequence("t")).isEqualTo(2);
        Appended resent = append(reopened, "t", "resent", "k");
        assertThat(resent.isNew()).isFalse();
        assertThat(resent.envelope().sequence()).isEqualTo(original.envelope().sequence());
        assertThat(resent.envelope().payload()).isEqualTo(bytes("original"));
        assertThat(append(reopened, "t", "third", "k3").envelope().sequence()).isEqualTo(3);
    }

    @Test
    void appendsAfterCloseFailWithAStoreException() {
        store.close();
        assertThat(store.append("t", bytes("late"), "k", "s"))
                .failsWithin(WAIT).withThrowableThat().havingCause()
                .isInstanceOf(dev.parley.node.store.StoreException.class).withMessageContaining("closed");
    }
}
