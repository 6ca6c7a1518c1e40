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
import org.junit.jupiter.api.Test;

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
