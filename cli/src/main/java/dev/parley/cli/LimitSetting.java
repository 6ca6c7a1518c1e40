package dev.parley.cli;

import dev.parley.spi.node.NodeLimits;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * One {@code --limit NAME=VALUE} of {@code parley node}: a limit of {@link NodeLimits} by the name
 * its builder and the node's {@code LimitExceededException} use, e.g. {@code maxSessionsPerInbox=64},
 * {@code maxStoredBytesPerInbox=512MiB}, {@code preAuthenticationTimeout=5s}. Checked when read,
 * with the limits' own rules.
 */
final class LimitSetting implements ITypeConverter<LimitSetting.Setting> {
    private static final Pattern BYTES = Pattern.compile("(\\d+)\\s*(|B|KiB|MiB|GiB|TiB)", Pattern.CASE_INSENSITIVE);
    /** One limit of {@link NodeLimits}: its name, how a value is read and set, and its current value. */
    private record Limit(String name, BiConsumer<NodeLimits.Builder, String> set, Function<NodeLimits, Object> get) {
    }

    private static final Map<String, Limit> LIMITS = Stream.of(
            new Limit("preAuthenticationTimeout", (b, v) -> b.preAuthenticationTimeout(new PositiveDuration().convert(v)),
                    NodeLimits::preAuthenticationTimeout),
            new Limit("maxSessionsPerInbox", (b, v) -> b.maxSessionsPerInbox(count(v)), NodeLimits::maxSessionsPerInbox),
            new Limit("maxSubscriptionsPerSession", (b, v) -> b.maxSubscriptionsPerSession(count(v)),
                    NodeLimits::maxSubscriptionsPerSession),
            new Limit("maxTopicsPerSubscription", (b, v) -> b.maxTopicsPerSubscription(count(v)),
                    NodeLimits::maxTopicsPerSubscription),
            new Limit("maxMembersPerConversation", (b, v) -> b.maxMembersPerConversation(count(v)),
                    NodeLimits::maxMembersPerConversation),
            new Limit("conversationsPerInboxPerMinute", (b, v) -> b.conversationsPerInboxPerMinute(count(v)),
                    NodeLimits::conversationsPerInboxPerMinute),
            new Limit("maxStoredBytesPerInbox", (b, v) -> b.maxStoredBytesPerInbox(bytes(v)),
                    NodeLimits::maxStoredBytesPerInbox),
            new Limit("maxOutboundBytesPerConnection", (b, v) -> b.maxOutboundBytesPerConnection(bytes(v)),
                    NodeLimits::maxOutboundBytesPerConnection))
            .collect(Collectors.toMap(Limit::name, l -> l, (a, b) -> a, LinkedHashMap::new));

    /** A limit read from the command line, set on a builder by {@link #applyTo}. */
    record Setting(String name, String value) {
        NodeLimits.Builder applyTo(NodeLimits.Builder builder) {
            LIMITS.get(name).set().accept(builder, value);
            return builder;
        }
    }

    /** {@code limits} as {@code name=value} pairs, every limit in order: for the option's help and the node's banner. */
    static String describe(NodeLimits limits) {
        return LIMITS.values().stream().map(l -> l.name() + "=" + l.get().apply(limits))
                .collect(Collectors.joining(", "));
    }

    /** The limits with every setting applied, in order (a later one of the same name wins). */
    static NodeLimits limits(Iterable<Setting> settings) {
        NodeLimits.Builder builder = NodeLimits.builder();
        settings.forEach(s -> s.applyTo(builder));
        return builder.build();
    }

    @Override
    public Setting convert(String text) {
        int eq = text.indexOf('=');
        if (eq < 0) {
            throw new TypeConversionException("'" + text + "' is not NAME=VALUE, e.g. maxSessionsPerInbox=64");
        }
        String name = text.substring(0, eq).trim();
        if (!LIMITS.containsKey(name)) {
            throw new TypeConversionException("no limit named '" + name + "'; limits: " + String.join(", ", LIMITS.keySet()));
        }
        Setting setting = new Setting(name, text.substring(eq + 1).trim());
        try {
            setting.applyTo(NodeLimits.builder()); // refuses what the node would refuse, now
        } catch (IllegalArgumentException e) {
            throw new TypeConversionException(name + ": " + e.getMessage());
        }
        return setting;
    }

    private static int count(String value) {
        try {
            return Integer.parseInt(value.replace("_", ""));
        } catch (NumberFormatException e) {
            throw new TypeConversionException("'" + value + "' is not a whole number");
        }
    }

    /** Bytes: a whole number, optionally with B, KiB, MiB, GiB or TiB. */
    private static long bytes(String value) {
        Matcher m = BYTES.matcher(value.replace("_", ""));
        if (!m.matches()) {
            throw new TypeConversionException("'" + value + "' is not a size; use e.g. 1048576, 512MiB or 1GiB");
        }
        int shift = switch (m.group(2).toLowerCase(Locale.ROOT)) {
            case "kib" -> 10;
            case "mib" -> 20;
            case "gib" -> 30;
            case "tib" -> 40;
            default -> 0;
        };
        try {
            long n = Long.parseLong(m.group(1));
            if (n > (Long.MAX_VALUE >> shift)) {
                throw new TypeConversionException("'" + value + "' is too large");
            }
            return n << shift;
        } catch (NumberFormatException e) {
            throw new TypeConversionException("'" + value + "' is too large");
        }
    }
}
