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
import java.nio.ByteBuffer;

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

    /** {@code message} in a binary WebSocket frame whose content comes from {@code allocator}. */
    static BinaryWebSocketFrame of(MessageLite message, ByteBufAllocator allocator) {
        int size = message.getSerializedSize();
        ByteBuf content = allocator.ioBuffer(size, size);
        try {
            ByteBuffer target = content.nioBuffer(0, size);
            CodedOutputStream out = CodedOutputStream.newInstance(target);
            message.writeTo(out);
            out.checkNoSpaceLeft();
            content.writerIndex(size);
            return new BinaryWebSocketFrame(content);
        } catch (IOException | RuntimeException e) {
            content.release();
            throw e instanceof IOException io ? new UncheckedIOException(io) : (RuntimeException) e;
        }
    }
}
