package dev.parley.transport.websocket;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.parley.protocol.EnvelopeBatch;
import dev.parley.protocol.NodeFrame;
import dev.parley.protocol.WireEnvelope;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.websocketx.WebSocket08FrameDecoder;
import io.netty.handler.codec.http.websocketx.WebSocketDecoderConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Frames serialized into pooled buffers and parsed from them come back whole, and never share the socket's buffer. */
class BinaryFramesTest {
    private static final PooledByteBufAllocator POOL = new PooledByteBufAllocator(true);

    private static NodeFrame envelopes(int count) {
        EnvelopeBatch.Builder batch = EnvelopeBatch.newBuilder();
        for (int i = 0; i < count; i++) {
            batch.addEnvelopes(WireEnvelope.newBuilder().setTopic("topic-é-" + i).setSequence(i).setTimestampNs(7L * i)
                    .setPayload(ByteString.copyFrom(new byte[] {(byte) i, 1, 2, 3})).setIdempotencyKey("key-" + i)
                    .setSenderInboxId("inbox"));
        }
        return NodeFrame.newBuilder().setRequestId(42).setEnvelopes(batch).build();
    }

    @Test
    void roundTripsThroughAPooledBuffer() throws Exception {
        NodeFrame frame = envelopes(300); // over Netty's 1 KiB gathering threshold
        BinaryWebSocketFrame binary = BinaryFrames.of(frame, POOL);
        try {
            assertThat(binary.content().readableBytes()).isEqualTo(frame.getSerializedSize());
            assertThat(BinaryFrames.parse(binary.content(), NodeFrame.parser())).isEqualTo(frame);
        } finally {
            binary.release();
        }
    }

    /** Payload lengths at each boundary of the header's three length forms (7 bits, 16 bits, 64 bits). */
    @ParameterizedTest
    @ValueSource(ints = {0, 125, 126, 127, 65535, 65536, 200_000})
    void nodeFramesAreWholeWebSocketFramesAClientDecodes(int payloadBytes) throws Exception {
        WireEnvelope sized = frameOfSize(payloadBytes);
        NodeFrame frame = NodeFrame.newBuilder().setRequestId(3).setEnvelopes(EnvelopeBatch.newBuilder().addEnvelopes(sized))
                .build();
        EmbeddedChannel client = new EmbeddedChannel(new WebSocket08FrameDecoder(WebSocketDecoderConfig.newBuilder()
                .expectMaskedFrames(false).maxFramePayloadLength(1 << 20).build()));
        try {
            assertThat(client.writeInbound(BinaryFrames.nodeFrame(sized, POOL), BinaryFrames.nodeFrame(frame, POOL)))
                    .isTrue();
            assertThat(sized.getSerializedSize()).isEqualTo(payloadBytes);
            assertThat(readOne(client, WireEnvelope.parser())).isEqualTo(sized);
            assertThat(readOne(client, NodeFrame.parser())).isEqualTo(frame);
            assertThat((Object) client.readInbound()).isNull();
        } finally {
            client.finishAndReleaseAll();
        }
    }

    private static <T extends com.google.protobuf.MessageLite> T readOne(EmbeddedChannel client,
                                                                          com.google.protobuf.Parser<T> parser)
            throws InvalidProtocolBufferException {
        BinaryWebSocketFrame read = client.readInbound();
        try {
            assertThat(read.isFinalFragment()).isTrue();
            return BinaryFrames.parse(read.content(), parser);
        } finally {
            read.release();
        }
    }

    /** A message of exactly {@code bytes} serialized bytes (an envelope: payload, sequence and topic fill it up). */
    private static WireEnvelope frameOfSize(int bytes) {
        for (int payload = bytes; payload >= 0; payload--) {
            for (long sequence : new long[] {0, 1, 128}) {
                for (int topic = 0; topic < 4; topic++) {
                    WireEnvelope candidate = WireEnvelope.newBuilder().setPayload(ByteString.copyFrom(new byte[payload]))
                            .setSequence(sequence).setTopic("t".repeat(topic)).build();
                    if (candidate.getSerializedSize() == bytes) {
                        return candidate;
                    }
                }
            }
        }
        throw new AssertionError("no envelope of " + bytes + " bytes");
    }

    @Test
    void parsedBytesOutliveTheSocketsBuffer() throws Exception {
        NodeFrame frame = envelopes(3);
        ByteBuf content = POOL.directBuffer().writeBytes(frame.toByteArray());
        NodeFrame parsed = BinaryFrames.parse(content, NodeFrame.parser());
        content.setZero(0, content.writerIndex()); // the socket reuses its buffer once the frame is handled
        content.release();
        assertThat(parsed).isEqualTo(frame);
        assertThat(parsed.getEnvelopes().getEnvelopes(2).getPayload().toByteArray()).containsExactly(2, 1, 2, 3);
    }

    @Test
    void refusesWhatIsNotOneWholeMessage() {
        assertThatThrownBy(() -> BinaryFrames.parse(Unpooled.wrappedBuffer(new byte[] {(byte) 0xff, (byte) 0xff}),
                NodeFrame.parser())).isInstanceOf(InvalidProtocolBufferException.class);
        assertThatThrownBy(() -> BinaryFrames.parse(Unpooled.wrappedBuffer(new byte[] {0x0c}), NodeFrame.parser()))
                .isInstanceOf(InvalidProtocolBufferException.class);
    }
}
