package dev.parley.transport;

import dev.parley.protocol.UpdateGroupRequest;
import dev.parley.spi.GroupChange;
import java.util.Optional;
import com.google.protobuf.ByteString;
import com.google.protobuf.UnsafeByteOperations;
import dev.parley.AuthenticationException;
import dev.parley.ConversationType;
import dev.parley.LimitExceededException;
import dev.parley.ParleyException;
import dev.parley.PermissionDeniedException;
import dev.parley.ProtocolException;
import dev.parley.TransportException;
import dev.parley.internal.Failures;
import dev.parley.internal.util.WireLimits;
import dev.parley.protocol.ConversationKind;
import dev.parley.protocol.Cursor;
import dev.parley.protocol.EnvelopeBatch;
import dev.parley.protocol.ErrorDetail;
import dev.parley.protocol.ResumptionTicket;
import dev.parley.spi.SessionTicket;
import java.time.Duration;
import dev.parley.protocol.WireEnvelope;
import dev.parley.spi.Envelope;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Conversions between the SPI's types and the wire's, including errors both ways. */
public final class Wire {
    /** Serialized envelopes per batch frame (the node already caps what it hands over by the same budget). */
    static final int MAX_BATCH_BYTES = WireLimits.MAX_ENVELOPE_BYTES_PER_FRAME;

    private Wire() {
    }

    /**
     * The envelope as the node sends it. The payload is wrapped, not copied: an envelope's payload is
     * not changed once published (the node stores what it was given and hands out the same array), and a
     * frame only reads it.
     */
    public static WireEnvelope toWire(Envelope e) {
        return WireEnvelope.newBuilder()
                .setTopic(e.topic())
                .setSequence(e.sequence())
                .setTimestampNs(e.timestampNs())
                .setPayload(UnsafeByteOperations.unsafeWrap(e.payload()))
                .setIdempotencyKey(e.idempotencyKey())
                .setSenderInboxId(e.senderInboxId())
                .build();
    }

    public static Envelope fromWire(WireEnvelope e) {
        return new Envelope(e.getTopic(), e.getSequence(), e.getTimestampNs(), e.getPayload().toByteArray(),
                e.getIdempotencyKey(), e.getSenderInboxId());
    }

    public static List<Envelope> fromWire(EnvelopeBatch batch) {
        List<Envelope> envelopes = new ArrayList<>(batch.getEnvelopesCount());
        batch.getEnvelopesList().forEach(e -> envelopes.add(fromWire(e)));
        return envelopes;
    }

    /**
     * Envelopes as batches for {@code EnvelopeBatch} frames, in order, each at most
     * {@link #MAX_BATCH_BYTES} serialized (a single larger envelope is a batch of its own).
     */
    public static List<EnvelopeBatch> toWireBatches(List<Envelope> envelopes) {
        List<EnvelopeBatch> batches = new ArrayList<>();
        EnvelopeBatch.Builder batch = EnvelopeBatch.newBuilder();
        long bytes = 0;
        for (Envelope envelope : envelopes) {
            WireEnvelope wire = toWire(envelope);
            int size = wire.getSerializedSize();
            if (batch.getEnvelopesCount() > 0 && bytes + size > MAX_BATCH_BYTES) {
                batches.add(batch.build());
                batch = EnvelopeBatch.newBuilder();
                bytes = 0;
            }
            batch.addEnvelopes(wire);
            bytes += size;
        }
        if (batch.getEnvelopesCount() > 0) {
            batches.add(batch.build());
        }
        return batches;
    }

    public static ResumptionTicket toWire(SessionTicket ticket) {
        return ResumptionTicket.newBuilder().setTicket(ByteString.copyFrom(ticket.ticket()))
                .setSecret(ByteString.copyFrom(ticket.secret())).setLifetimeMs(ticket.lifetime().toMillis()).build();
    }

    /** A ticket a node sent; a negative lifetime (a hostile node) counts as none. */
    public static SessionTicket fromWire(ResumptionTicket ticket) {
        return new SessionTicket(ticket.getTicket().toByteArray(), ticket.getSecret().toByteArray(),
                Duration.ofMillis(Math.max(0, ticket.getLifetimeMs())));
    }

    public static List<Cursor> toWire(Map<String, Long> cursors) {
        return cursors.entrySet().stream()
                .map(c -> Cursor.newBuilder().setTopic(c.getKey()).setAfterSequence(c.getValue()).build())
                .toList();
    }

    public static Map<String, Long> fromWire(List<Cursor> cursors) {
        Map<String, Long> map = new HashMap<>();
        cursors.forEach(c -> map.put(c.getTopic(), c.getAfterSequence()));
        return map;
    }

    public static UpdateGroupRequest toWire(GroupChange change) {
        UpdateGroupRequest.Builder request = UpdateGroupRequest.newBuilder()
                .setConversationId(change.conversationId())
                .addAllAddInboxIds(change.add())
                .addAllRemoveInboxIds(change.remove())
                .setLeave(change.leave())
                .setIdempotencyKey(change.idempotencyKey());
        change.newName().ifPresent(name -> request.setRename(true).setName(name));
        return request.build();
    }

    public static GroupChange fromWire(UpdateGroupRequest request) {
        return new GroupChange(request.getConversationId(), request.getAddInboxIdsList(),
                request.getRemoveInboxIdsList(), request.getLeave(),
                request.getRename() ? Optional.of(request.getName()) : Optional.empty(), request.getIdempotencyKey());
    }

    public static ConversationKind toWire(ConversationType type) {
        return type == ConversationType.DM ? ConversationKind.CONVERSATION_KIND_DM
                : ConversationKind.CONVERSATION_KIND_GROUP;
    }

    public static ConversationType fromWire(ConversationKind kind) {
        return switch (kind) {
            case CONVERSATION_KIND_GROUP -> ConversationType.GROUP;
            case CONVERSATION_KIND_DM -> ConversationType.DM;
            default -> throw new ProtocolException("unknown conversation kind " + kind);
        };
    }

    /** The error frame for a failure on the node side. */
    public static ErrorDetail toWire(Throwable thrown) {
        Throwable failure = Failures.unwrap(thrown);
        ErrorDetail.Builder error = ErrorDetail.newBuilder().setMessage(String.valueOf(failure.getMessage()));
        if (failure instanceof AuthenticationException) {
            error.setCode(ErrorDetail.Code.CODE_UNAUTHENTICATED);
        } else if (failure instanceof PermissionDeniedException) {
            error.setCode(ErrorDetail.Code.CODE_PERMISSION_DENIED);
        } else if (failure instanceof ProtocolException || failure instanceof IllegalArgumentException) {
            error.setCode(ErrorDetail.Code.CODE_INVALID_ARGUMENT);
        } else if (failure instanceof LimitExceededException limit) {
            error.setCode(ErrorDetail.Code.CODE_RESOURCE_EXHAUSTED).setLimit(limit.limit())
                    .setRetryable(limit.isRetryable());
        } else if (failure instanceof TransportException t) {
            error.setCode(t.isRetryable() ? ErrorDetail.Code.CODE_UNAVAILABLE : ErrorDetail.Code.CODE_INTERNAL)
                    .setRetryable(t.isRetryable());
        } else {
            error.setCode(ErrorDetail.Code.CODE_INTERNAL).setMessage("internal error: " + failure);
        }
        return error.build();
    }

    /** The typed exception for an error frame. */
    public static ParleyException fromWire(ErrorDetail error) {
        String message = error.getMessage();
        return switch (error.getCode()) {
            case CODE_UNAUTHENTICATED -> new AuthenticationException(message);
            case CODE_PERMISSION_DENIED -> new PermissionDeniedException(message);
            case CODE_INVALID_ARGUMENT -> new ProtocolException(message);
            case CODE_RESOURCE_EXHAUSTED -> new LimitExceededException(error.getLimit(), message, error.getRetryable());
            case CODE_UNAVAILABLE, CODE_GOING_AWAY -> new TransportException(message, true);
            default -> new TransportException(message, error.getRetryable());
        };
    }
}
