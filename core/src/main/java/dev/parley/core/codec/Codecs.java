package dev.parley.core.codec;

import dev.parley.ContentCodec;
import dev.parley.ContentTypeId;
import dev.parley.ProtocolException;
import dev.parley.internal.util.Services;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The codecs of one client: text, then those found with ServiceLoader, then those from the options
 * (last wins). Group updates are the node's and always decode with {@link GroupUpdatedCodec}: no
 * codec of an application can change what membership changes mean.
 */
public final class Codecs {
    private static final GroupUpdatedCodec GROUP_UPDATES = new GroupUpdatedCodec();

    private final List<ContentCodec<?>> codecs = new ArrayList<>();

    public Codecs(List<ContentCodec<?>> fromOptions) {
        codecs.add(new TextCodec());
        Services.load(ContentCodec.class, Codecs.class, c -> true).forEach(codecs::add);
        codecs.addAll(fromOptions);
    }

    /** The codec that decodes {@code type} (same authority, type and major version), if any. */
    public Optional<ContentCodec<?>> find(ContentTypeId type) {
        if (GROUP_UPDATES.contentType().sameTypeAs(type)) {
            return Optional.of(GROUP_UPDATES);
        }
        for (int i = codecs.size() - 1; i >= 0; i--) {
            if (codecs.get(i).contentType().sameTypeAs(type)) {
                return Optional.of(codecs.get(i));
            }
        }
        return Optional.empty();
    }

    /** Encoded content and fallback of {@code content} under {@code type}. */
    public Encoded encode(Object content, ContentTypeId type) {
        @SuppressWarnings("unchecked")
        ContentCodec<Object> codec = (ContentCodec<Object>) find(type).orElseThrow(() ->
                new ProtocolException("no codec for content type " + type + "; pass one to ClientOptions.codec(..)"));
        try {
            return new Encoded(codec.encode(content), codec.fallback(content));
        } catch (ClassCastException e) {
            throw new IllegalArgumentException("content of " + content.getClass().getName()
                    + " cannot be encoded as " + type, e);
        }
    }

    /** Encoded bytes and optional fallback text. */
    public record Encoded(byte[] bytes, String fallback) {
    }
}
