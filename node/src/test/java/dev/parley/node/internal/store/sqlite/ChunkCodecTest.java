package dev.parley.node.internal.store.sqlite;

import dev.parley.node.store.StoreException;
import dev.parley.spi.Envelope;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ChunkCodecTest {
    private static final List<Envelope> ENTRIES = List.of(
            new Envelope("t", 5, 100, "one".getBytes(StandardCharsets.UTF_8), "k1", "alice"),
            new Envelope("t", 6, 200, new byte[0], "kë2", "bob"),
            new Envelope("t", 7, 300, new byte[]{0, 1, 2}, "k3", "ålice"));

    @Test
    void entriesComeBackWithTheirSequencesAndFromAnyOneOnUpToALimit() {
        byte[] body = ChunkCodec.body(ENTRIES, 0, 3);

        assertThat(ChunkCodec.decode("t", 5, 7, body)).usingRecursiveFieldByFieldElementComparator().isEqualTo(ENTRIES);
        assertThat(ChunkCodec.decode("t", 5, 7, body, 6, 1)).usingRecursiveFieldByFieldElementComparator()
                .containsExactly(ENTRIES.get(1));
        assertThat(ChunkCodec.decode("t", 6, 7, ChunkCodec.body(ENTRIES, 1, 3))).extracting(Envelope::idempotencyKey)
                .containsExactly("kë2", "k3");
    }

    @Test
    void everyDamageIsAStoreException() {
        byte[] body = ChunkCodec.body(ENTRIES, 0, 3);
        for (int i = 0; i < body.length; i++) {
            byte[] damaged = body.clone();
            damaged[i] ^= 0x10;
            assertThatThrownBy(() -> ChunkCodec.decode("t", 5, 7, damaged)).isInstanceOf(StoreException.class);
        }
        assertThatThrownBy(() -> ChunkCodec.decode("t", 5, 7, Arrays.copyOf(body, body.length - 1))).isInstanceOf(StoreException.class);
        assertThatThrownBy(() -> ChunkCodec.decode("t", 5, 8, body)).isInstanceOf(StoreException.class);
        assertThatThrownBy(() -> ChunkCodec.decode("t", 5, 7, new byte[3])).isInstanceOf(StoreException.class);
        assertThatThrownBy(() -> ChunkCodec.decode("t", 5, 7, null)).isInstanceOf(StoreException.class);
        assertThatThrownBy(() -> ChunkCodec.hashes(new byte[11], "t", 5, 7)).isInstanceOf(StoreException.class);
        assertThatThrownBy(() -> ChunkCodec.hashes(new byte[12], "t", 5, 7)).isInstanceOf(StoreException.class); // zero hashes
    }
}
