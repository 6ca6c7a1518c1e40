package dev.parley.core.codec;

/**
 * A codec that decodes its content where it lies inside a larger array (a received payload), so the
 * receive path does not copy the content out first. Same result and errors as
 * {@link dev.parley.ContentCodec#decode} of a copy of that range.
 *
 * @param <T> the decoded content
 */
public interface RangeDecoder<T> {
    /** What {@code decode} gives for a copy of {@code bytes[offset, offset + length)}. */
    T decode(byte[] bytes, int offset, int length);
}
