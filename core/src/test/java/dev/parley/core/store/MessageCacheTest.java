package dev.parley.core.store;

import dev.parley.ContentTypeId;
import dev.parley.DecodedMessage;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

class MessageCacheTest {
    @Test
    void inOrderMessagesKeepTheLatestUpToTheCap() {
        MessageCache cache = new MessageCache("c", 5);
        for (long sequence = 1; sequence <= 12; sequence++) {
            assertThat(cache.put(message(sequence), sequence)).isTrue();
        }
        assertThat(sequences(cache)).containsExactly(8L, 9L, 10L, 11L, 12L);
        assertThat(cache.put(message(7), 7)).as("at or below what was dropped").isFalse();
        assertThat(cache.put(message(10), 10)).as("already there").isFalse();
    }

    @Test
    void anOlderPageIsInsertedInPlaceAndTheOldestGoAtTheCap() {
        MessageCache cache = new MessageCache("c", 6);
        for (long sequence : new long[] {10, 11, 12}) {
            cache.put(message(sequence), sequence);
        }
        for (long sequence : new long[] {4, 5, 7, 6}) {
            cache.put(message(sequence), sequence);
        }
        assertThat(sequences(cache)).containsExactly(5L, 6L, 7L, 10L, 11L, 12L);
        assertThat(cache.put(message(3), 3)).as("older than all six kept").isFalse();
        assertThat(cache.put(message(4), 4)).isFalse();
        assertThat(cache.put(message(8), 8)).isTrue();
        assertThat(sequences(cache)).containsExactly(6L, 7L, 8L, 10L, 11L, 12L);
    }

    @Test
    void behavesAsASortedMapCappedToTheLatestWhateverTheOrderOfArrival() {
        Random random = new Random(42);
        for (int round = 0; round < 200; round++) {
            int cap = 1 + random.nextInt(40);
            MessageCache cache = new MessageCache("c", cap);
            TreeMap<Long, DecodedMessage> expected = new TreeMap<>();
            long droppedUpTo = 0;
            List<Long> arrivals = new ArrayList<>();
            for (long sequence = 1; sequence <= 120; sequence++) {
                arrivals.add(sequence);
            }
            // mostly in order, with pages shuffled in and repeats
            for (int i = 0; i < arrivals.size(); i += 10) {
                if (random.nextBoolean()) {
                    Collections.shuffle(arrivals.subList(i, Math.min(arrivals.size(), i + 10)), random);
                }
            }
            for (int i = 0; i < 30; i++) {
                arrivals.add(random.nextInt(arrivals.size()), 1L + random.nextInt(120));
            }
            for (long sequence : arrivals) {
                DecodedMessage message = message(sequence);
                boolean expectedStored = sequence > droppedUpTo && !expected.containsKey(sequence);
                if (expectedStored) {
                    expected.put(sequence, message);
                    while (expected.size() > cap) {
                        droppedUpTo = expected.pollFirstEntry().getKey();
                    }
                }
                boolean kept = expected.containsKey(sequence) && expected.get(sequence) == message;
                assertThat(cache.put(message, sequence)).isEqualTo(kept);
                assertThat(cache.all()).containsExactlyElementsOf(expected.values());
            }
        }
    }

    @Test
    void givesBackMessagesEqualToThoseKeptWhateverTheirIdContentAndFallback() {
        MessageCache cache = new MessageCache("c", 16);
        ContentTypeId custom = new ContentTypeId("example.org", "reaction", 2, 1);
        List<DecodedMessage> given = List.of(
                new DecodedMessage("0123456789abcdef0123456789abcdef", "c", "alice", 1, ContentTypeId.TEXT, "Latin-1 text: café", null),
                new DecodedMessage("ffffffffffffffff0000000000000000", "c", "bob", 2, ContentTypeId.TEXT, "UTF-16 text: 日本語 \uD83D\uDE00", null),
                new DecodedMessage("0123456789ABCDEF0123456789ABCDEF", "c", "alice", 3, custom, new byte[] {1, 2}, "reacted"),
                new DecodedMessage("not-a-hex-id", "c", "alice", 4, custom, null, "unknown type"),
                new DecodedMessage("0123456789abcdef0123456789abcdeg", "c", "alice", 5, ContentTypeId.TEXT, "", null),
                new DecodedMessage("0123456789abcdef", "c", "alice", 6, ContentTypeId.TEXT, "x".repeat(40_000), null));
        for (int i = 0; i < given.size(); i++) {
            assertThat(cache.put(given.get(i), i + 1)).isTrue();
        }
        List<DecodedMessage> kept = cache.all();
        assertThat(kept).hasSize(given.size());
        for (int i = 0; i < given.size(); i++) {
            DecodedMessage expected = given.get(i);
            DecodedMessage actual = kept.get(i);
            assertThat(actual).usingRecursiveComparison().isEqualTo(expected);
        }
        assertThat(kept.get(0)).as("made again, not the record given").isNotSameAs(given.get(0)).isEqualTo(given.get(0));
        assertThat(kept.get(0).content()).as("text kept packed, not the string given").isNotSameAs(given.get(0).content());
    }

    @Test
    void anIdOneCharacterAwayFromLowerCaseHexadecimalComesBackExactly() {
        String hexadecimal = "0123456789abcdef0123456789abcdef";
        // upper case, the neighbours of the digit ranges, Latin-1, UTF-16, and a full-width digit Character.digit accepts
        char[] notDigits = {'g', 'G', 'A', 'F', '/', ':', '`', '{', ' ', '\u00e9', '\u0100', '\u0130', '\uff10', '\uffff'};
        MessageCache cache = new MessageCache("c", hexadecimal.length() * notDigits.length + 1);
        List<DecodedMessage> given = new ArrayList<>();
        long sequence = 0;
        for (int at = 0; at < hexadecimal.length(); at++) {
            for (char notDigit : notDigits) {
                char[] id = hexadecimal.toCharArray();
                id[at] = notDigit;
                sequence++;
                DecodedMessage message = new DecodedMessage(new String(id), "c", "alice", sequence, ContentTypeId.TEXT, "t", null);
                assertThat(cache.put(message, sequence)).isTrue();
                given.add(message);
            }
        }
        sequence++;
        DecodedMessage packed = new DecodedMessage(hexadecimal, "c", "alice", sequence, ContentTypeId.TEXT, "t", null);
        cache.put(packed, sequence);
        given.add(packed);
        assertThat(cache.all()).containsExactlyElementsOf(given);
    }

    @Test
    void equalSendersAndTypesOfNeighboursAreKeptOnce() {
        MessageCache cache = new MessageCache("c", 16);
        for (long sequence : new long[] {1, 2, 4, 3}) {
            cache.put(new DecodedMessage(Long.toString(sequence), "c", new String("alice".toCharArray()), sequence,
                    new ContentTypeId("xmtp.org", "text", 1, 0), "m" + sequence, null), sequence);
        }
        List<DecodedMessage> kept = cache.all();
        assertThat(kept).extracting(DecodedMessage::senderInboxId).containsOnly("alice");
        for (DecodedMessage message : kept) {
            assertThat(message.senderInboxId()).isSameAs(kept.get(0).senderInboxId());
            assertThat(message.contentType()).isSameAs(kept.get(0).contentType());
        }
    }

    @Test
    void aMessageWithoutAnIdIsKeptAsGiven() {
        MessageCache cache = new MessageCache("c", 4);
        DecodedMessage noId = new DecodedMessage(null, "c", null, 1, null, "x", null);
        assertThat(cache.put(noId, 1)).isTrue();
        assertThat(cache.all()).containsExactly(noId);
    }

    @Test
    void givesBackEqualRecordsOfEveryKindWhateverTheOrderOfArrival() {
        Random random = new Random(11);
        ContentTypeId[] types = {ContentTypeId.TEXT, new ContentTypeId("example.org", "reaction", 1, 0), null};
        String[] senders = {"alice", "bob", null};
        for (int round = 0; round < 100; round++) {
            int cap = 1 + random.nextInt(30);
            MessageCache cache = new MessageCache("c", cap);
            TreeMap<Long, DecodedMessage> expected = new TreeMap<>();
            long droppedUpTo = 0;
            for (int i = 0; i < 150; i++) {
                long sequence = i < 100 && random.nextInt(4) > 0 ? 1 + i : 1 + random.nextInt(150);
                DecodedMessage message = new DecodedMessage(anyId(random, sequence), "c",
                        senders[random.nextInt(senders.length)] == null ? null : new String(senders[random.nextInt(2)]),
                        sequence, types[random.nextInt(types.length)], anyContent(random),
                        random.nextInt(5) == 0 ? "fallback " + sequence : null);
                if (sequence > droppedUpTo && !expected.containsKey(sequence)) {
                    expected.put(sequence, message);
                    while (expected.size() > cap) {
                        droppedUpTo = expected.pollFirstEntry().getKey();
                    }
                }
                cache.put(message, sequence);
                assertThat(cache.all()).containsExactlyElementsOf(expected.values()); // byte[] content kept as given
            }
        }
    }

    private static String anyId(Random random, long sequence) {
        return switch (random.nextInt(4)) {
            case 0 -> String.format("%016x%016x", random.nextLong(), sequence);
            case 1 -> String.format("%016X%016X", random.nextLong(), sequence);
            case 2 -> "id-" + sequence;
            default -> random.nextBoolean() ? null : "";
        };
    }

    private static Object anyContent(Random random) {
        return switch (random.nextInt(6)) {
            case 0 -> "text " + random.nextInt();
            case 1 -> "日本語 \uD83D\uDE00 " + random.nextInt();
            case 2 -> "";
            case 3 -> "l".repeat(16 * 1024 + random.nextInt(3));
            case 4 -> new byte[] {(byte) random.nextInt()};
            default -> null;
        };
    }

    private static List<Long> sequences(MessageCache cache) {
        return cache.all().stream().map(m -> Long.parseLong(m.id())).toList();
    }

    private static DecodedMessage message(long sequence) {
        return new DecodedMessage(Long.toString(sequence), "c", "sender", sequence, ContentTypeId.TEXT, "m" + sequence, null);
    }
}
