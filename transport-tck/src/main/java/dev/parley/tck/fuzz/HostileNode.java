package dev.parley.tck.fuzz;

import dev.parley.protocol.ConversationKind;
import dev.parley.protocol.Welcome;
import dev.parley.internal.Topics;
import com.google.protobuf.ByteString;
import dev.parley.Identity;
import dev.parley.core.conversation.EnvelopeProcessor;
import dev.parley.protocol.AuthOk;
import dev.parley.protocol.Challenge;
import dev.parley.protocol.ClientFrame;
import dev.parley.protocol.CreateConversationResult;
import dev.parley.protocol.Cursor;
import dev.parley.protocol.Heartbeat;
import dev.parley.protocol.NodeFrame;
import dev.parley.protocol.PublishAck;
import dev.parley.protocol.QueryResult;
import dev.parley.protocol.Subscribed;
import dev.parley.protocol.SubscriptionClosed;
import dev.parley.protocol.TopicsAdded;
import dev.parley.protocol.WireEnvelope;

import java.security.SecureRandom;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One hostile node's behaviour: a handshake answered as told (or honestly), query pages and
 * subscription frames from a list, everything else answered plausibly. It keeps what a property
 * needs to judge the client: the sequence of every message it sent (by message id), the demand the
 * client granted, and when its subscription frames are all out.
 */
final class HostileNode implements FakeNode.Script {
    /** The first subscriptions get the hostile frames; later ones (the client's retries) only their acceptance. */
    private static final int HOSTILE_SUBSCRIPTIONS = 2;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final boolean early;
    private final Reply helloAnswer;
    private final Reply authAnswer;
    private final Queue<Reply> pages;
    private final List<Reply> pushes;
    private final AtomicInteger subscriptions = new AtomicInteger();
    private final AtomicLong granted = new AtomicLong();
    private final AtomicLong maxInitialDemand = new AtomicLong();
    private final Map<String, Long> sentSequences = new ConcurrentHashMap<>();
    /** Completes once the first subscription got every hostile frame. */
    final CompletableFuture<Void> pushed = new CompletableFuture<>();

    /**
     * @param helloAnswer what {@code Hello} gets; {@code null}: an honest challenge
     * @param authAnswer  what {@code Auth} gets; {@code null}: an honest {@code AuthOk}
     * @param pages       answers to queries, in turn; then empty pages
     * @param pushes      frames each of the first subscriptions gets once accepted
     */
    HostileNode(Reply helloAnswer, Reply authAnswer, List<Reply> pages, List<Reply> pushes) {
        this(helloAnswer, authAnswer, pages, pushes, false);
    }

    /** @param early the hostile frames come before the subscription is accepted */
    HostileNode(Reply helloAnswer, Reply authAnswer, List<Reply> pages, List<Reply> pushes, boolean early) {
        this.early = early;
        this.helloAnswer = helloAnswer;
        this.authAnswer = authAnswer;
        this.pages = new ConcurrentLinkedQueue<>(pages);
        this.pushes = pushes;
        if (pushes.isEmpty()) {
            pushed.complete(null);
        }
    }

    @Override
    public void onFrame(FakeNode.Peer peer, ClientFrame frame) {
        long id = frame.getRequestId();
        switch (frame.getBodyCase()) {
            case HELLO -> send(peer, id, helloAnswer != null ? helloAnswer : Reply.answer(NodeFrame.newBuilder()
                    .setChallenge(Challenge.newBuilder().setNonce(ByteString.copyFrom(nonce())))));
            case AUTH -> send(peer, id, authAnswer != null ? authAnswer : Reply.answer(NodeFrame.newBuilder()
                    .setAuthOk(AuthOk.newBuilder().setHeartbeatIntervalMs(1000).setEpoch("hostile")
                            .setInboxId(Identity.inboxIdOf(frame.getAuth().getPublicKey().toByteArray())))));
            case QUERY -> {
                Reply page = pages.poll();
                send(peer, id, page != null ? page : Reply.answer(NodeFrame.newBuilder()
                        .setQueryResult(QueryResult.getDefaultInstance())));
            }
            case SUBSCRIBE -> {
                long demand = frame.getSubscribe().getInitialDemand();
                granted.addAndGet(demand);
                maxInitialDemand.accumulateAndGet(demand, Math::max);
                boolean hostile = subscriptions.incrementAndGet() <= HOSTILE_SUBSCRIPTIONS;
                if (!hostile || !early) {
                    send(peer, id, Reply.answer(NodeFrame.newBuilder().setSubscribed(Subscribed.getDefaultInstance())));
                }
                if (hostile) {
                    pushes.forEach(p -> send(peer, id, p));
                    if (early) {
                        send(peer, id, Reply.answer(NodeFrame.newBuilder().setSubscribed(Subscribed.getDefaultInstance())));
                    }
                    pushed.complete(null);
                }
            }
            case DEMAND -> granted.addAndGet(frame.getDemand().getN());
            case ADD_TOPICS -> {
                TopicsAdded.Builder added = TopicsAdded.newBuilder();
                frame.getAddTopics().getCursorsList().forEach(c -> added.addResolved(Cursor.newBuilder(c)
                        .setAfterSequence(Math.max(0, c.getAfterSequence()))));
                send(peer, id, Reply.answer(NodeFrame.newBuilder().setTopicsAdded(added)));
            }
            case PUBLISH -> send(peer, id, Reply.answer(NodeFrame.newBuilder()
                    .setPublishResult(PublishAck.newBuilder().setSequence(1).setTimestampNs(1))));
            case CREATE_CONVERSATION -> send(peer, id, Reply.answer(NodeFrame.newBuilder()
                    .setConversationCreated(CreateConversationResult.newBuilder().setConversationId("c0ffee"))));
            case HEARTBEAT -> send(peer, 0, Reply.answer(NodeFrame.newBuilder().setHeartbeat(Heartbeat.getDefaultInstance())));
            case CANCEL -> send(peer, id, Reply.answer(NodeFrame.newBuilder()
                    .setSubscriptionClosed(SubscriptionClosed.getDefaultInstance())));
            default -> { }
        }
    }

    private void send(FakeNode.Peer peer, long id, Reply reply) {
        if (reply == Reply.SILENCE) {
            return;
        }
        if (reply == Reply.CLOSE) {
            peer.close();
            return;
        }
        if (reply.frame() != null) {
            record(reply.frame());
        }
        peer.send(reply.bytes(id));
    }

    private void record(NodeFrame frame) {
        switch (frame.getBodyCase()) {
            case ENVELOPE -> record(frame.getEnvelope());
            case ENVELOPES -> frame.getEnvelopes().getEnvelopesList().forEach(this::record);
            case QUERY_RESULT -> frame.getQueryResult().getEnvelopesList().forEach(this::record);
            default -> { }
        }
    }

    private void record(WireEnvelope e) {
        sentSequences.put(EnvelopeProcessor.messageId(e.getTopic(), e.getSequence()), e.getSequence());
    }

    /** The sequence of the message with id {@code messageId}, as this node sent it. */
    Long sequenceOf(String messageId) {
        return sentSequences.get(messageId);
    }

    /** Demand the client granted over all its subscriptions: initial demands and {@code Demand} frames. */
    long granted() {
        return granted.get();
    }

    long maxInitialDemand() {
        return maxInitialDemand.get();
    }

    private static byte[] nonce() {
        byte[] nonce = new byte[32];
        RANDOM.nextBytes(nonce);
        return nonce;
    }

    /** An honest first page of welcomes: conversations {@code ids}, created by {@code me} alone. */
    static Reply welcomes(String me, List<String> ids) {
        QueryResult.Builder page = QueryResult.newBuilder();
        long sequence = 1;
        for (String id : ids) {
            page.addEnvelopes(WireEnvelope.newBuilder().setTopic(Topics.welcome(me))
                    .setSequence(sequence++).setTimestampNs(1).setIdempotencyKey("welcome:" + id).setSenderInboxId("node")
                    .setPayload(Welcome.newBuilder().setConversationId(id)
                            .setKind(ConversationKind.CONVERSATION_KIND_GROUP)
                            .addMemberInboxIds(me).setCreatorInboxId(me).setCreatedAtNs(1).build().toByteString()));
        }
        return Reply.answer(NodeFrame.newBuilder().setQueryResult(page));
    }

}
