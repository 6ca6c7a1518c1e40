package dev.parley.transport;

import com.google.protobuf.ByteString;
import dev.parley.TransportException;
import dev.parley.protocol.AuthOk;
import dev.parley.protocol.Challenge;
import dev.parley.protocol.ClientFrame;
import dev.parley.protocol.NodeFrame;
import dev.parley.protocol.PublishAck;
import dev.parley.protocol.Subscribed;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Links to a scripted node that answers Hello and AuthResponse at once (while {@code answerHandshake}),
 * publishes while {@code answerPublishes}, and accepts every Subscribe; a test sends the node's other frames itself
 * with {@link #fromNode}. Frames run on the calling thread.
 */
final class ScriptedLinks implements FrameLink.Factory {
    volatile boolean answerPublishes = true;
    volatile boolean answerHandshake = true;
    final List<ClientFrame> sent = new CopyOnWriteArrayList<>();
    /** How each link ended: {@code closed} or {@code abandoned}. */
    final List<String> ends = new CopyOnWriteArrayList<>();
    private volatile FrameLink.Handler handler;

    /** A frame from the node on the last link opened. */
    void fromNode(NodeFrame frame) {
        handler.onFrame(frame);
    }

    @Override
    public FrameLink open(FrameLink.Handler linkHandler) {
        handler = linkHandler;
        return new FrameLink() {
            private long sequence;

            @Override
            public void send(ClientFrame frame) {
                sent.add(frame);
                NodeFrame.Builder answer = NodeFrame.newBuilder().setRequestId(frame.getRequestId());
                if (!answerHandshake) {
                    return;
                }
                switch (frame.getBodyCase()) {
                    case HELLO -> linkHandler.onFrame(answer.setChallenge(Challenge.newBuilder()
                            .setNonce(ByteString.copyFrom(new byte[32]))).build());
                    case AUTH -> linkHandler.onFrame(answer.setAuthOk(AuthOk.newBuilder().setInboxId("me")).build());
                    case PUBLISH -> {
                        if (answerPublishes) {
                            linkHandler.onFrame(answer.setPublishResult(PublishAck.newBuilder()
                                    .setSequence(++sequence)).build());
                        }
                    }
                    case SUBSCRIBE -> linkHandler.onFrame(answer.setSubscribed(Subscribed.getDefaultInstance()).build());
                    default -> { }
                }
            }

            @Override
            public void close() {
                ends.add("closed");
                linkHandler.onClosed(new TransportException("closed", true));
            }

            @Override
            public void abandon() {
                ends.add("abandoned");
                linkHandler.onClosed(new TransportException("abandoned", true));
            }
        };
    }

    @Override
    public void close() {
    }
}
