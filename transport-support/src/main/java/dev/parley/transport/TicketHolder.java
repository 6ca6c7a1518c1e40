package dev.parley.transport;

import dev.parley.protocol.ResumptionTicket;
import dev.parley.spi.SessionTicket;

/**
 * The latest resumption ticket a transport got from its node, with the channel binding of the link it came
 * over: the next link presents it instead of a signature. Shared by the links of one transport.
 */
final class TicketHolder {
    /** A ticket and the channel binding (as this client saw it) of the link that received it. */
    record Held(SessionTicket ticket, byte[] channelBinding) {
        /** Without TLS a ticket goes in the first frame; over TLS it answers the node's challenge on the same channel. */
        boolean resumesInHello() {
            return channelBinding.length == 0;
        }
    }

    private volatile Held held;

    Held current() {
        return held;
    }

    /** Keeps what the node sent (nothing, when it sent no ticket). */
    void hold(ResumptionTicket ticket, byte[] channelBinding) {
        if (!ticket.getTicket().isEmpty() && !ticket.getSecret().isEmpty()) {
            held = new Held(Wire.fromWire(ticket), channelBinding.clone());
        }
    }

    /** Drops a ticket the node refused: the next link signs. */
    void forget(Held refused) {
        if (held == refused) {
            held = null;
        }
    }
}
