package dev.parley.tck.fuzz;

import java.util.ArrayList;
import com.google.protobuf.ByteString;
import dev.parley.internal.Topics;
import dev.parley.internal.util.WireLimits;
import dev.parley.protocol.AuthOk;
import dev.parley.protocol.Challenge;
import dev.parley.protocol.ResumptionTicket;
import dev.parley.protocol.ConsentUpdate;
import dev.parley.protocol.CreateConversationResult;
import dev.parley.protocol.EnvelopeBatch;
import dev.parley.protocol.ErrorDetail;
import dev.parley.protocol.Heartbeat;
import dev.parley.protocol.MessagePayload;
import dev.parley.protocol.NodeFrame;
import dev.parley.protocol.PublishAck;
import dev.parley.protocol.QueryResult;
import dev.parley.protocol.Subscribed;
import dev.parley.protocol.SubscriptionClosed;
import dev.parley.protocol.TopicsAdded;
import dev.parley.protocol.Welcome;
import dev.parley.protocol.WireEnvelope;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Tuple;

import java.util.List;

/**
 * Generators of what a hostile node sends a client: envelopes with random sequences, topics,
 * payloads and content types (some well-formed welcomes and messages with odd values, some random
 * bytes), batches beyond any demand, results empty or large, errors with any code, answers of the
 * wrong kind, frames for requests that do not exist, random bytes.
 */
public final class HostileNodeFrames {
    /** Conversations the hostile node talks about. */
    static final List<String> CONVERSATIONS = List.of("c0ffee", "decade", "");
    /** One byte over the frame limit: the client must refuse it, not buffer it. */
    private static final byte[] OVERSIZED = new byte[WireLimits.MAX_FRAME_BYTES + 1];

    private final String me;

    /** @param me the inbox of the client under attack */
    public HostileNodeFrames(String me) {
        this.me = me;
    }

    /** Sequences: mostly small and near each other (so some are in order), some boundary values. */
    static Arbitrary<Long> sequences() {
        return Arbitraries.frequencyOf(
                Tuple.of(8, Arbitraries.longs().between(1, 12)),
                Tuple.of(1, Arbitraries.of(0L, -1L, Long.MAX_VALUE, Long.MIN_VALUE, 1_000_000L)));
    }

    Arbitrary<String> topics() {
        return Arbitraries.frequencyOf(
                Tuple.of(3, Arbitraries.of(Topics.welcome(me))),
                Tuple.of(4, Arbitraries.of(CONVERSATIONS).map(Topics::conversation)),
                Tuple.of(1, Arbitraries.of(Topics.preferences(me), "welcome/someone-else", "", "conv/", "x")),
                Tuple.of(1, HostileClientFrames.strings()));
    }

    /** A payload fitting the topic most of the time: a welcome, a message or a consent update with odd values. */
    Arbitrary<ByteString> payloads(String topic) {
        Arbitrary<ByteString> fitting;
        if (topic.startsWith("welcome/")) {
            fitting = welcomes().map(Welcome::toByteString);
        } else if (topic.startsWith("prefs/")) {
            fitting = Combinators.combine(Arbitraries.of(CONVERSATIONS), Arbitraries.integers().between(-1, 5))
                    .as((c, state) -> ConsentUpdate.newBuilder().setConversationId(c).setStateValue(state).build()
                            .toByteString());
        } else {
            fitting = messages().map(MessagePayload::toByteString);
        }
        return Arbitraries.frequencyOf(
                Tuple.of(5, fitting),
                Tuple.of(1, HostileClientFrames.randomBytes().map(ByteString::copyFrom)));
    }

    private Arbitrary<Welcome> welcomes() {
        Arbitrary<List<String>> members = Arbitraries.frequencyOf(
                Tuple.of(5, Arbitraries.just(List.of(me))),
                Tuple.of(2, HostileClientFrames.strings().list().ofMaxSize(3).map(l -> {
                    List<String> m = new ArrayList<>(l);
                    m.add(me);
                    return m;
                })),
                Tuple.of(1, HostileClientFrames.strings().list().ofMaxSize(3)));
        return Combinators.combine(Arbitraries.of(CONVERSATIONS), Arbitraries.integers().between(-1, 4), members,
                        HostileClientFrames.strings(), HostileClientFrames.boundaryLongs(), HostileClientFrames.strings())
                .as((id, kind, m, creator, at, name) -> Welcome.newBuilder().setConversationId(id).setKindValue(kind)
                        .addAllMemberInboxIds(m).setCreatorInboxId(creator).setCreatedAtNs(at).setName(name).build());
    }

    private static Arbitrary<MessagePayload> messages() {
        Arbitrary<String> types = Arbitraries.frequencyOf(
                Tuple.of(5, Arbitraries.just("parley.dev/text:1.0")),
                Tuple.of(2, Arbitraries.of("parley.dev/text:99999999999.0", "parley.dev/text:1.-1", "parley.dev/text",
                        "", ":", "a/b:1.2", "/:.", "parley.dev/text:1.0:2", "x/y:0.0", "parley.dev/text:01.00")),
                Tuple.of(1, HostileClientFrames.strings()));
        Arbitrary<ByteString> content = Arbitraries.frequencyOf(
                Tuple.of(3, HostileClientFrames.strings().map(ByteString::copyFromUtf8)),
                Tuple.of(1, HostileClientFrames.randomBytes().map(ByteString::copyFrom)));
        return Combinators.combine(types, content, HostileClientFrames.strings())
                .as((t, c, f) -> MessagePayload.newBuilder().setContentType(t).setContent(c).setFallback(f).build());
    }

    Arbitrary<WireEnvelope> envelopes() {
        return topics().flatMap(topic -> Combinators.combine(sequences(), HostileClientFrames.boundaryLongs(),
                payloads(topic), HostileClientFrames.strings(), HostileClientFrames.strings())
                .as((seq, ts, payload, key, sender) -> WireEnvelope.newBuilder().setTopic(topic).setSequence(seq)
                        .setTimestampNs(ts).setPayload(payload).setIdempotencyKey(key).setSenderInboxId(sender).build()));
    }

    /** What an honest node would send: text messages of a known conversation, in order from some sequence. */
    Arbitrary<List<WireEnvelope>> orderlyRuns() {
        return Combinators.combine(Arbitraries.of(CONVERSATIONS.get(0), CONVERSATIONS.get(1)),
                Arbitraries.longs().between(1, 4), Arbitraries.integers().between(1, 4))
                .as((conversation, from, count) -> {
                    List<WireEnvelope> run = new ArrayList<>();
                    for (long seq = from; seq < from + count; seq++) {
                        run.add(WireEnvelope.newBuilder().setTopic(Topics.conversation(conversation)).setSequence(seq)
                                .setTimestampNs(seq).setIdempotencyKey("k" + seq).setSenderInboxId(me)
                                .setPayload(MessagePayload.newBuilder().setContentType("parley.dev/text:1.0")
                                        .setContent(ByteString.copyFromUtf8("m" + seq)).build().toByteString()).build());
                    }
                    return run;
                });
    }

    /** Envelopes in (mostly) increasing order, as a page or a batch would hold them. */
    Arbitrary<List<WireEnvelope>> runs() {
        return envelopes().list().ofMaxSize(6);
    }

    static Arbitrary<ErrorDetail> errors() {
        return Combinators.combine(Arbitraries.integers().between(-1, 9), HostileClientFrames.strings(),
                Arbitraries.of(true, false))
                .as((code, message, retryable) -> ErrorDetail.newBuilder().setCodeValue(code).setMessage(message)
                        .setRetryable(retryable).build());
    }

    /** Resumption tickets a node may hand out: empty, random, with any lifetime. */
    private static Arbitrary<ResumptionTicket> resumptionTickets() {
        Arbitrary<ByteString> bytes = Arbitraries.bytes().array(byte[].class).ofMaxSize(100).map(ByteString::copyFrom);
        return Combinators.combine(bytes, bytes, HostileClientFrames.boundaryLongs())
                .as((ticket, secret, lifetime) -> ResumptionTicket.newBuilder().setTicket(ticket).setSecret(secret)
                        .setLifetimeMs(lifetime).build());
    }

    /** Anything a node may send, of any kind, for any request. */
    Arbitrary<NodeFrame.Builder> anyFrame() {
        return Arbitraries.oneOf(List.of(
                Arbitraries.bytes().array(byte[].class).ofMaxSize(40).map(n -> NodeFrame.newBuilder()
                        .setChallenge(Challenge.newBuilder().setNonce(ByteString.copyFrom(n)))),
                Combinators.combine(HostileClientFrames.strings(), HostileClientFrames.boundaryLongs(),
                        HostileClientFrames.strings(), resumptionTickets(), Arbitraries.of(true, false))
                        .as((inbox, ms, epoch, ticket, resumed) -> NodeFrame.newBuilder()
                        .setAuthOk(AuthOk.newBuilder().setInboxId(inbox).setHeartbeatIntervalMs(ms).setEpoch(epoch)
                                .setResumption(ticket).setResumed(resumed))),
                resumptionTickets().map(t -> NodeFrame.newBuilder().setResumptionTicket(t)),
                Combinators.combine(Arbitraries.bytes().array(byte[].class).ofMaxSize(40), HostileClientFrames.strings())
                        .as((n, refused) -> NodeFrame.newBuilder().setChallenge(Challenge.newBuilder()
                                .setNonce(ByteString.copyFrom(n)).setResumptionRefused(refused))),
                Combinators.combine(sequences(), HostileClientFrames.boundaryLongs()).as((s, t) -> NodeFrame.newBuilder()
                        .setPublishResult(PublishAck.newBuilder().setSequence(s).setTimestampNs(t))),
                runs().map(r -> NodeFrame.newBuilder().setQueryResult(QueryResult.newBuilder().addAllEnvelopes(r))),
                HostileClientFrames.strings().map(id -> NodeFrame.newBuilder()
                        .setConversationCreated(CreateConversationResult.newBuilder().setConversationId(id))),
                envelopes().map(e -> NodeFrame.newBuilder().setEnvelope(e)),
                runs().map(r -> NodeFrame.newBuilder().setEnvelopes(EnvelopeBatch.newBuilder().addAllEnvelopes(r))),
                Arbitraries.just(NodeFrame.newBuilder().setTopicsAdded(TopicsAdded.getDefaultInstance())),
                Arbitraries.just(NodeFrame.newBuilder().setHeartbeat(Heartbeat.getDefaultInstance())),
                errors().map(e -> NodeFrame.newBuilder().setError(e)),
                Arbitraries.just(NodeFrame.newBuilder().setSubscribed(Subscribed.getDefaultInstance())),
                Arbitraries.just(NodeFrame.newBuilder().setSubscriptionClosed(SubscriptionClosed.getDefaultInstance())),
                Arbitraries.just(NodeFrame.newBuilder())));
    }

    /** What a subscription (or a query) gets: mostly envelopes, now and then anything at all. */
    Arbitrary<Reply> replies() {
        Arbitrary<Reply> envelopes = Arbitraries.oneOf(List.of(
                envelopes().map(e -> Reply.answer(NodeFrame.newBuilder().setEnvelope(e))),
                runs().map(r -> Reply.answer(NodeFrame.newBuilder().setEnvelopes(EnvelopeBatch.newBuilder()
                        .addAllEnvelopes(r))))));
        Arbitrary<Reply> orderly = orderlyRuns().map(r -> r.size() == 1
                ? Reply.answer(NodeFrame.newBuilder().setEnvelope(r.get(0)))
                : Reply.answer(NodeFrame.newBuilder().setEnvelopes(EnvelopeBatch.newBuilder().addAllEnvelopes(r))));
        return Arbitraries.frequencyOf(
                Tuple.of(12, orderly),
                Tuple.of(12, envelopes),
                Tuple.of(4, anyFrame().map(Reply::answer)),
                Tuple.of(1, Arbitraries.just(new Reply(null, false, OVERSIZED))),
                Tuple.of(1, Arbitraries.just(Reply.CLOSE)),
                Tuple.of(1, Combinators.combine(anyFrame(), HostileClientFrames.requestIds())
                        .as((f, id) -> new Reply(f.setRequestId(id).build(), true, null))),
                Tuple.of(2, HostileClientFrames.randomBytes().map(b -> new Reply(null, false, b))));
    }

    /** Answers to a query: a page of envelopes, or anything. */
    Arbitrary<Reply> pages() {
        return Arbitraries.frequencyOf(
                Tuple.of(6, runs().map(r -> Reply.answer(NodeFrame.newBuilder()
                        .setQueryResult(QueryResult.newBuilder().addAllEnvelopes(r))))),
                Tuple.of(1, anyFrame().map(Reply::answer)),
                Tuple.of(1, Arbitraries.just(Reply.CLOSE)),
                Tuple.of(1, HostileClientFrames.randomBytes().map(b -> new Reply(null, false, b))));
    }
}
