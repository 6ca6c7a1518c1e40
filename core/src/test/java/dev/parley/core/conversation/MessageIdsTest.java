package dev.parley.core.conversation;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

class MessageIdsTest {
    @Test
    void anIdIsTheHexOfTheFirst16BytesOfSha256OfTopicHashSequence() throws Exception {
        List<String> topics = List.of("conv/0123456789abcdef0123456789abcdef", "conv/other", "welcome/ü-日本", "conv/0123456789abcdef0123456789abcdef");
        long[] sequences = {0, 1, 9, 10, 99, 100, 12_345, Integer.MAX_VALUE, Long.MAX_VALUE, -1, Long.MIN_VALUE};
        for (String topic : topics) {
            for (long sequence : sequences) {
                assertThat(EnvelopeProcessor.messageId(topic, sequence)).as(topic + "#" + sequence)
                        .isEqualTo(reference(topic, sequence));
            }
        }
    }

    @Test
    void onlyTheIdThisThreadMadeLastIsKnownForItsConversationAndSequence() throws Exception {
        String id = EnvelopeProcessor.messageId("conv/c1", 5);
        assertThat(EnvelopeProcessor.knownMessageId(id, "c1", 5)).isTrue();
        assertThat(EnvelopeProcessor.knownMessageId(new String(id.toCharArray()), "c1", 5)).as("same text").isFalse();
        assertThat(EnvelopeProcessor.knownMessageId(id, "c1", 6)).as("other sequence").isFalse();
        assertThat(EnvelopeProcessor.knownMessageId(id, "c2", 5)).as("other conversation").isFalse();
        assertThat(EnvelopeProcessor.knownMessageId(id, "c", 5)).as("a prefix of it").isFalse();
        assertThat(EnvelopeProcessor.knownMessageId(null, "c1", 5)).isFalse();
        Thread other = new Thread(() -> assertThat(EnvelopeProcessor.knownMessageId(id, "c1", 5)).isFalse());
        AtomicReference<Throwable> failed = new AtomicReference<>();
        other.setUncaughtExceptionHandler((t, e) -> failed.set(e));
        other.start();
        other.join(10_000);
        assertThat(other.isAlive()).isFalse();
        assertThat(failed.get()).as("another thread does not know it").isNull();
        String welcome = EnvelopeProcessor.messageId("welcome/c1", 5);
        assertThat(EnvelopeProcessor.knownMessageId(welcome, "c1", 5)).as("not a conversation's topic").isFalse();
        EnvelopeProcessor.messageId("conv/c1", 6);
        assertThat(EnvelopeProcessor.knownMessageId(id, "c1", 5)).as("no longer the last").isFalse();
    }

    @Test
    void idsAreThoseEveryClientAlreadyUses() { // fixed values: a change of the derivation fails here
        assertThat(EnvelopeProcessor.messageId("conv/0123456789abcdef0123456789abcdef", 42))
                .isEqualTo("37db9c8a11b546f902312e5aa70c14e4");
        assertThat(EnvelopeProcessor.messageId("welcome/ü-日本", 7)).isEqualTo("3e6b21c48732d07b05a7e229cdb7e747");
    }

    @Test
    void theSameOnEveryThread() throws Exception {
        String[] onOtherThread = new String[1];
        Thread other = new Thread(() -> onOtherThread[0] = EnvelopeProcessor.messageId("conv/x", 7));
        other.start();
        other.join(10_000);
        assertThat(other.isAlive()).isFalse();
        assertThat(onOtherThread[0]).isEqualTo(reference("conv/x", 7)).isEqualTo(EnvelopeProcessor.messageId("conv/x", 7));
    }

    private static String reference(String topic, long sequence) throws Exception {
        byte[] digest = MessageDigest.getInstance("SHA-256").digest((topic + "#" + sequence).getBytes(StandardCharsets.UTF_8));
        return HexFormat.of().formatHex(digest, 0, 16);
    }
}
