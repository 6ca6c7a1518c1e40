package dev.parley;

/**
 * Encodes and decodes one content type. Text is built in; others are found with
 * {@link java.util.ServiceLoader} or passed to {@code ClientOptions.builder().codec(..)}.
 */
public interface ContentCodec<T> {
    ContentTypeId contentType();

    byte[] encode(T content);

    /** @throws dev.parley.ProtocolException when the bytes are not valid content of this type */
    T decode(byte[] bytes);

    /** Readable text for clients that lack this codec, or {@code null}. */
    default String fallback(T content) {
        return null;
    }
}
