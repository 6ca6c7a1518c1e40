package dev.parley.cli;

import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads a positive duration: {@code 7d}, {@code 12h}, {@code 30m}, {@code 90s}, or ISO-8601 ({@code PT12H}, {@code P7D}). */
final class PositiveDuration implements ITypeConverter<Duration> {
    private static final Pattern SHORT = Pattern.compile("(\\d+)([dhms])");

    @Override
    public Duration convert(String value) {
        Duration age = parse(value.trim());
        if (age.isNegative() || age.isZero()) {
            throw new TypeConversionException("must be positive, was '" + value + "'");
        }
        return age;
    }

    private static Duration parse(String value) {
        Matcher m = SHORT.matcher(value);
        if (m.matches()) {
            long n = Long.parseLong(m.group(1));
            return switch (m.group(2)) {
                case "d" -> Duration.ofDays(n);
                case "h" -> Duration.ofHours(n);
                case "m" -> Duration.ofMinutes(n);
                default -> Duration.ofSeconds(n);
            };
        }
        try {
            String iso = value.toUpperCase();
            if (iso.startsWith("P") && iso.endsWith("D") && !iso.contains("T")) {
                return Duration.ofDays(Long.parseLong(iso.substring(1, iso.length() - 1)));
            }
            return Duration.parse(iso);
        } catch (DateTimeParseException | NumberFormatException e) {
            throw new TypeConversionException("'" + value + "' is not a duration; use e.g. 7d, 12h, 30m, 90s or PT12H");
        }
    }
}
