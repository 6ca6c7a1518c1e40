package dev.parley.core.store.sqlite;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** A run's times and contents come back as they went in: any time steps, no content, empty and long contents. */
class RunBodyTest {
    @Test
    void timesAndContentsComeBackAsTheyWentIn() {
        long[] times = {Long.MAX_VALUE, Long.MIN_VALUE, 0, -1, 1_700_000_000_000_000_000L, 1_700_000_000_000_000_001L};
        byte[][] contents = {"a".getBytes(StandardCharsets.UTF_8), null, new byte[0], new byte[300], new byte[127],
                "last".getBytes(StandardCharsets.UTF_8)};
        List<MessageRow> rows = new ArrayList<>();
        for (int i = 0; i < times.length; i++) {
            rows.add(new MessageRow("c", 0, 10 + i, null, "s", times[i], "t", contents[i], null));
        }

        List<RunBody.Part> parts = RunBody.unpack(RunBody.pack(rows), rows.size(), times[0]);

        assertThat(parts).hasSize(rows.size());
        for (int i = 0; i < times.length; i++) {
            assertThat(parts.get(i).sentAtNs()).as("time " + i).isEqualTo(times[i]);
            assertThat(parts.get(i).content()).as("content " + i).isEqualTo(contents[i]);
        }
    }
}
