package dev.parley;

import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Identifies how a message's content is encoded, written {@code authority/type:major.minor}. */
public record ContentTypeId(String authorityId, String typeId, int versionMajor, int versionMinor) {
    private static final Pattern FORM = Pattern.compile("([^/:\\s]+)/([^/:\\s]+):(\\d+)\\.(\\d+)");

    /** {@code parley.dev/text:1.0}, plain UTF-8 text. */
    public static final ContentTypeId TEXT = new ContentTypeId("parley.dev", "text", 1, 0);

    /**
     * {@code parley.dev/group_updated:1.0}: a change of a group's members or name, decoded to
     * {@link GroupUpdated}. Written by the node alone; a client cannot send it.
     */
    public static final ContentTypeId GROUP_UPDATED = new ContentTypeId("parley.dev", "group_updated", 1, 0);

    public ContentTypeId {
        Objects.requireNonNull(authorityId, "authorityId");
        Objects.requireNonNull(typeId, "typeId");
        if (authorityId.isBlank() || typeId.isBlank() || versionMajor < 0 || versionMinor < 0) {
            throw new IllegalArgumentException("invalid content type " + authorityId + "/" + typeId);
        }
    }

    /** Parses {@code authority/type:major.minor}; throws {@link ProtocolException} on any other form. */
    public static ContentTypeId parse(String text) {
        Matcher m = FORM.matcher(text == null ? "" : text);
        if (!m.matches()) {
            throw new ProtocolException("malformed content type '" + text + "', expected authority/type:major.minor");
        }
        try {
            return new ContentTypeId(m.group(1), m.group(2), Integer.parseInt(m.group(3)), Integer.parseInt(m.group(4)));
        } catch (NumberFormatException e) { // a version that overflows an int
            throw new ProtocolException("malformed content type '" + text + "', version out of range", e);
        }
    }

    /** True when content of {@code other} can be decoded by a codec for this type (same authority, type and major). */
    public boolean sameTypeAs(ContentTypeId other) {
        return authorityId.equals(other.authorityId) && typeId.equals(other.typeId) && versionMajor == other.versionMajor;
    }

    @Override
    public String toString() {
        return authorityId + "/" + typeId + ":" + versionMajor + "." + versionMinor;
    }
}
