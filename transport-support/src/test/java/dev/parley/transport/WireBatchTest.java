package dev.parley.transport;

import dev.parley.protocol.EnvelopeBatch;
import dev.parley.spi.Envelope;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

class WireBatchTest {
    private static Envelope envelope(long sequence, int payloadBytes) {
        return new Envelope("conv/c1", sequence, sequence * 10, new byte[payloadBytes], "k" + sequence, "sender");
    }

    private static List<Envelope> roundTrip(List<EnvelopeBatch> batches) {
        List<Envelope> out = new ArrayList<>();
        batches.forEach(b -> out.addAll(Wire.fromWire(b)));
        return out;
    }

    @Test
    void smallEnvelopesTravelInOneBatchInOrder() {
        List<Envelope> envelopes = IntStream.rangeClosed(1, 100).mapToObj(i -> envelope(i, 64)).toList();

        List<EnvelopeBatch> batches = Wire.toWireBatches(envelopes);

        assertThat(batches).hasSize(1);
        assertThat(roundTrip(batches)).extracting(Envelope::sequence)
                .containsExactlyElementsOf(envelopes.stream().map(Envelope::sequence).toList());
        assertThat(roundTrip(batches).get(41).payload()).hasSize(64);
    }

    @Test
    void batchesStayUnderTheFrameLimitAndKeepOrder() {
        // eight payloads of 700 KiB: no batch may exceed MAX_BATCH_BYTES, so they need several frames
        List<Envelope> envelopes = IntStream.rangeClosed(1, 8).mapToObj(i -> envelope(i, 700 << 10)).toList();

        List<EnvelopeBatch> batches = Wire.toWireBatches(envelopes);

        assertThat(batches).hasSizeGreaterThan(1);
        assertThat(batches).allSatisfy(b -> assertThat(b.getSerializedSize()).isLessThanOrEqualTo(dev.parley.internal.util.WireLimits.MAX_FRAME_BYTES));
        assertThat(batches).allSatisfy(b -> assertThat(b.getSerializedSize()).isLessThanOrEqualTo(Wire.MAX_BATCH_BYTES + 64));
        assertThat(roundTrip(batches)).extracting(Envelope::sequence).containsExactly(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L);
    }

    @Test
    void anEnvelopeLargerThanTheBatchBudgetIsABatchOfItsOwn() {
        List<Envelope> envelopes = List.of(envelope(1, 10), envelope(2, Wire.MAX_BATCH_BYTES + 1), envelope(3, 10));

        List<EnvelopeBatch> batches = Wire.toWireBatches(envelopes);

        assertThat(batches).extracting(EnvelopeBatch::getEnvelopesCount).containsExactly(1, 1, 1);
        assertThat(roundTrip(batches)).extracting(Envelope::sequence).containsExactly(1L, 2L, 3L);
    }
}
