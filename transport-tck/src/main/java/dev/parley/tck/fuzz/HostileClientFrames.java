package dev.parley.tck.fuzz;

import com.google.protobuf.ByteString;
import dev.parley.internal.Topics;
import dev.parley.internal.util.WireLimits;
import dev.parley.protocol.AddTopics;
import dev.parley.protocol.AuthResponse;
import dev.parley.protocol.Cancel;
import dev.parley.protocol.ClientFrame;
import dev.parley.protocol.CreateConversationRequest;
import dev.parley.protocol.Cursor;
import dev.parley.protocol.Demand;
import dev.parley.protocol.Heartbeat;
import dev.parley.protocol.Hello;
import dev.parley.protocol.PublishBatch;
import dev.parley.protocol.PublishRequest;
import dev.parley.protocol.QueryRequest;
import dev.parley.protocol.RemoveTopics;
import dev.parley.protocol.Subscribe;
import dev.parley.protocol.UpdateGroupRequest;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Tuple;

import java.util.Collections;
import java.util.List;

/**
 * Generators of what a hostile client sends: every {@link ClientFrame} body with random and
 * boundary values (ids, demands, sequences, limits, heartbeat intervals, lengths), topics that are
 * its own, the victim's or made up, and frames mangled on the wire.
 */
public final class HostileClientFrames {
    /** Never generated: the id the fuzzing client's probe uses. */
    public static final long PROBE_ID = 7_777_777_777L;

    private final String me;
    private final String victim;

    /** @param me the inbox the hostile client may authenticate as; {@code victim} another client's inbox */
    public HostileClientFrames(String me, String victim) {
        this.me = me;
        this.victim = victim;
    }

    /** Frames as sent: mostly structurally valid with hostile values, some mangled, some plain random bytes. */
    public Arbitrary<HostileFrame> frames() {
        Arbitrary<ClientFrame> frame = clientFrames();
        return Arbitraries.frequencyOf(
                Tuple.of(6, frame.map(HostileFrame::intact)),
                Tuple.of(1, Combinators.combine(frame, Arbitraries.integers().between(0, 64))
                        .as((f, cut) -> new HostileFrame(f, HostileFrame.Mangling.TRUNCATED, cut, 0, new byte[0]))),
                Tuple.of(1, Combinators.combine(frame, Arbitraries.integers().between(17, 10_000))
                        .as((f, field) -> new HostileFrame(f, HostileFrame.Mangling.UNKNOWN_FIELD, 0, field,
                                new byte[0]))),
                Tuple.of(1, randomBytes().map(b ->
                        new HostileFrame(ClientFrame.getDefaultInstance(), HostileFrame.Mangling.RANDOM_BYTES, 0, 0, b))));
    }

    /** Random bytes, as one frame: empty, small, a little over a kilobyte. */
    public static Arbitrary<byte[]> randomBytes() {
        return Arbitraries.bytes().array(byte[].class).ofMinSize(0).ofMaxSize(1500);
    }

    public Arbitrary<ClientFrame> clientFrames() {
        Arbitrary<ClientFrame.Builder> body = Arbitraries.oneOf(List.of(
                hello(), auth(), publish(), publishBatch(), query(), createConversation(), updateGroup(), subscribe(), addTopics(),
                removeTopics(),
                demand(), Arbitraries.just(ClientFrame.newBuilder().setHeartbeat(Heartbeat.newBuilder().setSentAtNs(-1))),
                Arbitraries.just(ClientFrame.newBuilder().setCancel(Cancel.getDefaultInstance())),
                Arbitraries.just(ClientFrame.newBuilder())));
        return Combinators.combine(body, requestIds()).as((b, id) -> b.setRequestId(id).build());
    }

    /** Small ids (they meet subscriptions), zero, the extremes, anything. */
    static Arbitrary<Long> requestIds() {
        return Arbitraries.frequencyOf(
                Tuple.of(6, Arbitraries.longs().between(1, 6)),
                Tuple.of(1, Arbitraries.of(0L, -1L, Long.MAX_VALUE, Long.MIN_VALUE)),
                Tuple.of(1, Arbitraries.longs().filter(id -> id != PROBE_ID)));
    }

    /** Numbers where code tends to break: 0, ±1, the int and long extremes, and anything. */
    static Arbitrary<Long> boundaryLongs() {
        return Arbitraries.frequencyOf(
                Tuple.of(3, Arbitraries.of(0L, 1L, -1L, -2L, 2L, 10L, 600_000L, 600_001L,
                        Integer.MAX_VALUE + 1L, (long) Integer.MIN_VALUE, Long.MAX_VALUE, Long.MIN_VALUE,
                        Long.MAX_VALUE / 2, Long.MAX_VALUE - 1)),
                Tuple.of(2, Arbitraries.longs().between(-5, 1000)),
                Tuple.of(1, Arbitraries.longs()));
    }

    static Arbitrary<Integer> boundaryInts() {
        return Arbitraries.frequencyOf(
                Tuple.of(3, Arbitraries.of(0, 1, -1, 999, 1000, 1001, Integer.MAX_VALUE, Integer.MIN_VALUE)),
                Tuple.of(1, Arbitraries.integers()));
    }

    /** Strings of every kind: empty, unicode, control characters, long. */
    static Arbitrary<String> strings() {
        return Arbitraries.frequencyOf(
                Tuple.of(4, Arbitraries.strings().ofMaxLength(40)),
                Tuple.of(1, Arbitraries.strings().withCharRange((char) 0, (char) 0xd7ff).ofMaxLength(20)),
                Tuple.of(1, Arbitraries.strings().withChars('a', '/', '\0', '#').ofMinLength(1000).ofMaxLength(5000)));
    }

    /** The hostile client's own topics, the victim's, the victim's conversation, made-up and malformed ones. */
    Arbitrary<String> topics() {
        return Arbitraries.frequencyOf(
                Tuple.of(3, Arbitraries.of(Topics.welcome(me), Topics.preferences(me))),
                Tuple.of(3, Arbitraries.of(Topics.welcome(victim), Topics.preferences(victim),
                        HostileFrame.VICTIM_CONVERSATION)),
                Tuple.of(1, Arbitraries.of("", "conv/", "welcome/", "prefs/", "conv/../welcome/" + victim,
                        "conv/00000000000000000000000000000000", "conv/" + victim, "CONV/x", "welcome/" + me + "/x")),
                Tuple.of(1, strings()),
                Tuple.of(1, strings().map(s -> "conv/" + s)));
    }

    private Arbitrary<String> inboxIds() {
        return Arbitraries.frequencyOf(
                Tuple.of(3, Arbitraries.of(me, victim)),
                Tuple.of(1, Arbitraries.strings().withChars("0123456789abcdef").ofLength(64)),
                Tuple.of(1, strings()));
    }

    private Arbitrary<Cursor> cursors() {
        return Combinators.combine(topics(), boundaryLongs())
                .as((t, after) -> Cursor.newBuilder().setTopic(t).setAfterSequence(after).build());
    }

    private static Arbitrary<ByteString> bytes(int maxSize) {
        return Arbitraries.frequencyOf(
                Tuple.of(5, Arbitraries.bytes().array(byte[].class).ofMaxSize(maxSize).map(ByteString::copyFrom)),
                Tuple.of(1, Arbitraries.just(ByteString.EMPTY)));
    }

    private static Arbitrary<ClientFrame.Builder> hello() {
        return Combinators.combine(strings(), boundaryLongs(), tickets(), bytes(80), bytes(40))
                .as((v, ms, ticket, nonce, proof) -> ClientFrame.newBuilder()
                        .setHello(Hello.newBuilder().setClientVersion(v).setHeartbeatIntervalMs(ms)
                                .setResumptionTicket(ticket).setResumptionNonce(nonce).setResumptionProof(proof)));
    }

    private static Arbitrary<ClientFrame.Builder> auth() {
        return Combinators.combine(bytes(80), bytes(80), tickets(), bytes(80), bytes(40))
                .as((key, sig, ticket, nonce, proof) -> ClientFrame.newBuilder()
                        .setAuth(AuthResponse.newBuilder().setPublicKey(key).setSignature(sig)
                                .setResumptionTicket(ticket).setResumptionNonce(nonce).setResumptionProof(proof)));
    }

    /** Made-up resumption tickets: none, random bytes, and ones of a real ticket's size and version. */
    private static Arbitrary<ByteString> tickets() {
        return Arbitraries.frequencyOf(
                Tuple.of(3, Arbitraries.just(ByteString.EMPTY)),
                Tuple.of(1, bytes(120)),
                Tuple.of(1, Arbitraries.bytes().array(byte[].class).ofSize(81).map(t -> {
                    t[0] = 1; // the version the node reads first
                    return ByteString.copyFrom(t);
                })));
    }

    private Arbitrary<ClientFrame.Builder> publish() {
        Arbitrary<ByteString> payload = Arbitraries.frequencyOf(
                Tuple.of(8, bytes(200)),
                Tuple.of(1, Arbitraries.of(WireLimits.MAX_PAYLOAD_BYTES, WireLimits.MAX_PAYLOAD_BYTES + 1)
                        .map(n -> ByteString.copyFrom(new byte[n]))));
        Arbitrary<String> key = Arbitraries.frequencyOf(
                Tuple.of(3, Arbitraries.strings().alpha().ofMinLength(1).ofMaxLength(8)),
                Tuple.of(1, Arbitraries.of("", "k".repeat(128), "k".repeat(129))),
                Tuple.of(1, strings()));
        return Combinators.combine(topics(), payload, key).as((t, p, k) -> ClientFrame.newBuilder()
                .setPublish(PublishRequest.newBuilder().setTopic(t).setPayload(p).setIdempotencyKey(k)));
    }

    /**
     * Batches of publishes: empty, one over the largest count, and 1..8 publishes mixing valid and
     * invalid ones (others' topics, bad keys, oversized payloads), keys repeated within the batch.
     */
    private Arbitrary<ClientFrame.Builder> publishBatch() {
        Arbitrary<List<PublishRequest>> publishes = publish().map(b -> b.getPublish()).list().ofMinSize(1).ofMaxSize(8);
        Arbitrary<List<PublishRequest>> repeatedKeys = publishes.map(list -> list.stream()
                .map(p -> p.toBuilder().setIdempotencyKey(list.get(0).getIdempotencyKey()).build()).toList());
        PublishRequest own = PublishRequest.newBuilder().setTopic(Topics.preferences(me))
                .setPayload(ByteString.copyFromUtf8("x")).setIdempotencyKey("k").build();
        Arbitrary<List<PublishRequest>> batches = Arbitraries.frequencyOf(
                Tuple.of(4, publishes),
                Tuple.of(2, repeatedKeys),
                Tuple.of(1, Arbitraries.just(List.of())),
                Tuple.of(1, Arbitraries.of(WireLimits.MAX_PUBLISHES_PER_BATCH, WireLimits.MAX_PUBLISHES_PER_BATCH + 1)
                        .map(n -> Collections.nCopies(n, own))));
        return batches.map(list -> ClientFrame.newBuilder().setPublishBatch(PublishBatch.newBuilder().addAllPublishes(list)));
    }

    private Arbitrary<ClientFrame.Builder> query() {
        return Combinators.combine(topics(), boundaryLongs(), boundaryInts()).as((t, after, limit) -> ClientFrame.newBuilder()
                .setQuery(QueryRequest.newBuilder().setTopic(t).setAfterSequence(after).setLimit(limit)));
    }

    private Arbitrary<ClientFrame.Builder> createConversation() {
        Arbitrary<List<String>> members = Arbitraries.frequencyOf(
                Tuple.of(6, inboxIds().list().ofMaxSize(4)),
                Tuple.of(1, Arbitraries.strings().withChars("0123456789abcdef").ofLength(64)
                        .list().ofMinSize(1000).ofMaxSize(1002)));
        return Combinators.combine(Arbitraries.integers().between(-1, 5), members, strings(), strings())
                .as((kind, m, name, key) -> ClientFrame.newBuilder().setCreateConversation(CreateConversationRequest
                        .newBuilder().setKindValue(kind).addAllMemberInboxIds(m).setName(name).setIdempotencyKey(key)));
    }

    /** Changes of the victim's group (the hostile client is no member of it), of made-up and malformed ones. */
    private Arbitrary<ClientFrame.Builder> updateGroup() {
        Arbitrary<String> conversations = Arbitraries.frequencyOf(
                Tuple.of(3, Arbitraries.just(Topics.subject(HostileFrame.VICTIM_CONVERSATION))),
                Tuple.of(1, strings()));
        Arbitrary<List<String>> inboxes = inboxIds().list().ofMaxSize(3);
        return Combinators.combine(conversations, inboxes, inboxes, Arbitraries.of(true, false),
                        Arbitraries.of(true, false), strings(), strings())
                .as((conversation, add, remove, leave, rename, name, key) -> ClientFrame.newBuilder()
                        .setUpdateGroup(UpdateGroupRequest.newBuilder().setConversationId(conversation)
                                .addAllAddInboxIds(add).addAllRemoveInboxIds(remove).setLeave(leave)
                                .setRename(rename).setName(name).setIdempotencyKey(key)));
    }

    private Arbitrary<ClientFrame.Builder> subscribe() {
        return Combinators.combine(cursors().list().ofMaxSize(5), boundaryLongs(), boundaryLongs())
                .as((c, demand, ms) -> ClientFrame.newBuilder().setSubscribe(Subscribe.newBuilder()
                        .addAllCursors(c).setInitialDemand(demand).setHeartbeatIntervalMs(ms)));
    }

    private Arbitrary<ClientFrame.Builder> addTopics() {
        return Combinators.combine(cursors().list().ofMaxSize(5), requestIds())
                .as((c, sub) -> ClientFrame.newBuilder().setAddTopics(AddTopics.newBuilder()
                        .addAllCursors(c).setSubscriptionId(sub)));
    }

    private Arbitrary<ClientFrame.Builder> removeTopics() {
        return Combinators.combine(topics().list().ofMaxSize(5), requestIds())
                .as((t, sub) -> ClientFrame.newBuilder().setRemoveTopics(RemoveTopics.newBuilder()
                        .addAllTopics(t).setSubscriptionId(sub)));
    }

    private static Arbitrary<ClientFrame.Builder> demand() {
        return boundaryLongs().map(n -> ClientFrame.newBuilder().setDemand(Demand.newBuilder().setN(n)));
    }
}
