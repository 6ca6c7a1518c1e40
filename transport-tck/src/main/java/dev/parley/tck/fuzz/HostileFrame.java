package dev.parley.tck.fuzz;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedOutputStream;
import dev.parley.protocol.AddTopics;
import dev.parley.protocol.ClientFrame;
import dev.parley.protocol.Cursor;
import dev.parley.protocol.PublishRequest;
import dev.parley.protocol.QueryRequest;
import dev.parley.protocol.RemoveTopics;
import dev.parley.protocol.Subscribe;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Arrays;

/**
 * One frame a hostile client sends: a {@link ClientFrame} with hostile values, then maybe mangled
 * on the wire (truncated, an unknown field appended), or plain random bytes. Topics may name
 * {@link #VICTIM_CONVERSATION}, replaced when sent by the conversation of the client under attack
 * (its id is only known once the node made it).
 */
public record HostileFrame(ClientFrame frame, Mangling mangling, int cutAt, int unknownField, byte[] randomBytes) {
    /** Stands for {@code conv/<the victim's conversation>} in generated topics. */
    public static final String VICTIM_CONVERSATION = "conv/@victim";

    /** What happens to the serialized frame. */
    public enum Mangling { NONE, TRUNCATED, UNKNOWN_FIELD, RANDOM_BYTES }

    static HostileFrame intact(ClientFrame frame) {
        return new HostileFrame(frame, Mangling.NONE, 0, 0, new byte[0]);
    }

    /** The bytes to send, with {@link #VICTIM_CONVERSATION} replaced by {@code victimTopic}. */
    public byte[] bytes(String victimTopic) {
        if (mangling == Mangling.RANDOM_BYTES) {
            return randomBytes.clone();
        }
        byte[] serialized = resolve(frame, victimTopic).toByteArray();
        return switch (mangling) {
            case TRUNCATED -> Arrays.copyOf(serialized, Math.min(cutAt, Math.max(0, serialized.length - 1)));
            case UNKNOWN_FIELD -> withUnknownField(serialized, unknownField);
            default -> serialized;
        };
    }

    /** Whether the node must be able to parse it (it may still refuse what it says). */
    public boolean parses() {
        return mangling == Mangling.NONE || mangling == Mangling.UNKNOWN_FIELD;
    }

    @Override
    public String toString() {
        String body = mangling == Mangling.RANDOM_BYTES ? randomBytes.length + " random bytes"
                : frame.toString().replace('\n', ' ');
        return mangling + (mangling == Mangling.TRUNCATED ? "@" + cutAt : "")
                + (mangling == Mangling.UNKNOWN_FIELD ? "#" + unknownField : "") + " " + body;
    }

    private static byte[] withUnknownField(byte[] serialized, int field) {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            out.write(serialized);
            CodedOutputStream coded = CodedOutputStream.newInstance(out);
            coded.writeBytes(field, ByteString.copyFromUtf8("unknown to this node"));
            coded.flush();
            return out.toByteArray();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static ClientFrame resolve(ClientFrame frame, String victimTopic) {
        ClientFrame.Builder b = frame.toBuilder();
        switch (frame.getBodyCase()) {
            case PUBLISH -> b.setPublish(PublishRequest.newBuilder(frame.getPublish())
                    .setTopic(topic(frame.getPublish().getTopic(), victimTopic)));
            case QUERY -> b.setQuery(QueryRequest.newBuilder(frame.getQuery())
                    .setTopic(topic(frame.getQuery().getTopic(), victimTopic)));
            case SUBSCRIBE -> {
                Subscribe.Builder s = Subscribe.newBuilder(frame.getSubscribe()).clearCursors();
                frame.getSubscribe().getCursorsList().forEach(c -> s.addCursors(cursor(c, victimTopic)));
                b.setSubscribe(s);
            }
            case ADD_TOPICS -> {
                AddTopics.Builder a = AddTopics.newBuilder(frame.getAddTopics()).clearCursors();
                frame.getAddTopics().getCursorsList().forEach(c -> a.addCursors(cursor(c, victimTopic)));
                b.setAddTopics(a);
            }
            case REMOVE_TOPICS -> {
                RemoveTopics.Builder r = RemoveTopics.newBuilder(frame.getRemoveTopics()).clearTopics();
                frame.getRemoveTopics().getTopicsList().forEach(t -> r.addTopics(topic(t, victimTopic)));
                b.setRemoveTopics(r);
            }
            default -> { }
        }
        return b.build();
    }

    private static Cursor cursor(Cursor c, String victimTopic) {
        return Cursor.newBuilder(c).setTopic(topic(c.getTopic(), victimTopic)).build();
    }

    private static String topic(String topic, String victimTopic) {
        return VICTIM_CONVERSATION.equals(topic) ? victimTopic : topic;
    }
}
