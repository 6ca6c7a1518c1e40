package dev.parley.transport.websocket;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.MessageLite;
import com.google.protobuf.Parser;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;

import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * Protobuf frames in binary WebSocket frames. Outgoing frames are serialized straight into a buffer
 * of the channel's (pooled) allocator: no {@code byte[]} per frame, and a direct buffer goes to the
 * socket without another copy. Incoming frames are copied once into a heap array of their own and
 * parsed with aliasing: {@code bytes} fields share that array instead of one copy each, and strings
 * are decoded from an array, the JDK's fast path (from a direct buffer protobuf decodes them char by
 * char). Nothing parsed refers to the socket's buffer, which is reused once the frame is handled.
 */
final class BinaryFrames {
    private BinaryFrames() {
    }

    /**
     * The message of type {@code parser} in {@code content}.
     *
     * @throws InvalidProtocolBufferException when {@code content} is not one well-formed message
     */
    static <T extends MessageLite> T parse(ByteBuf content, Parser<T> parser) throws InvalidProtocolBufferException {
        CodedInputStream in = CodedInputStream.newInstance(ByteBufUtil.getBytes(content));
        in.enableAliasing(true); // the array is this frame's own
        T message = parser.parseFrom(in);
        in.checkLastTagWas(0); // a stray end-group tag ends parsing early: not a whole message
        return message;
    }

    /** {@code message} in a binary WebSocket frame whose content comes from {@code allocator} (for the encoder to frame). */
    static BinaryWebSocketFrame of(MessageLite message, ByteBufAllocator allocator) {
        int size = message.getSerializedSize();
        return new BinaryWebSocketFrame(serialized(message, size, allocator.ioBuffer(size, size)));
    }

    /**
     * {@code message} as one whole node-to-client WebSocket frame (RFC 6455 section 5.2: FIN, binary,
     * unmasked), header and payload in one buffer of {@code allocator}, written in one pass. Netty's
     * frame encoder passes a {@code ByteBuf} through untouched; it would copy a small frame into a
     * buffer of its own and give a large one a separate header buffer.
     */
    static ByteBuf nodeFrame(MessageLite message, ByteBufAllocator allocator) {
        int size = message.getSerializedSize();
        int header = size < 126 ? 2 : size <= 0xFFFF ? 4 : 10;
        ByteBuf frame = allocator.ioBuffer(header + size, header + size);
        frame.writeByte(0x82); // FIN, opcode 2: binary
        if (size < 126) {
            frame.writeByte(size);
        } else if (size <= 0xFFFF) {
            frame.writeByte(126).writeShort(size);
        } else {
            frame.writeByte(127).writeLong(size);
        }
        return serialized(message, size, frame);
    }

    /** {@code buffer} after {@code message} ({@code size} bytes) was written at its writer index. */
    private static ByteBuf serialized(MessageLite message, int size, ByteBuf buffer) {
        try {
            int at = buffer.writerIndex();
            CodedOutputStream out = buffer.hasArray()
                    ? CodedOutputStream.newInstance(buffer.array(), buffer.arrayOffset() + at, size)
                    : CodedOutputStream.newInstance(buffer.nioBuffer(at, size));
            message.writeTo(out);
            out.checkNoSpaceLeft();
            return buffer.writerIndex(at + size);
        } catch (IOException | RuntimeException e) {
            buffer.release();
            throw e instanceof IOException io ? new UncheckedIOException(io) : (RuntimeException) e;
        }
    }
}
