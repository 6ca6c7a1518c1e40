package dev.parley.testing;

import java.util.Locale;

/**
 * A kind of connection fault a {@link Faults} can inject. Which kinds a given {@code Faults} can
 * inject is {@link Faults#supported()}; socket transports get the first four through a
 * {@link FaultProxy}, in-process links only {@link #NODE_DROP}.
 */
public enum Fault {
    /** The connection is torn down abruptly: a TCP reset (RST, no FIN) on both ends. */
    RESET,
    /** Half of the next chunk the node sends arrives, then the connection is reset: a frame cut in two. */
    CUT_MID_FRAME,
    /**
     * The connection stays open but nothing flows either way, on it and on new connections,
     * until {@link Faults#resume()}: no FIN, no RST, only heartbeats can tell.
     */
    STALL,
    /** Every chunk is held back a little, until {@link Faults#resume()}; bytes still arrive, in order. */
    SLOW,
    /**
     * The connections open now go silent for good, no FIN, no RST, while new connections work: a
     * NAT that forgot them, a pulled cable. Only heartbeats can tell, and only a new connection helps;
     * {@link Faults#resume()} does not revive them.
     */
    BLACKHOLE,
    /** The node ends the victim's sessions, as {@code Node.dropConnections(inboxId)} does. */
    NODE_DROP;

    /** Lower case with dashes, e.g. {@code cut-mid-frame}: how reports and messages name the fault. */
    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    UnsupportedOperationException notSupportedBy(Faults faults) {
        return new UnsupportedOperationException(faults + " cannot inject " + this + "; it supports "
                + faults.supported());
    }
}
