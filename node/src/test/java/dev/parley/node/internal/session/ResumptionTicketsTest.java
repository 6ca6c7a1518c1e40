package dev.parley.node.internal.session;

import dev.parley.AuthenticationException;
import dev.parley.Identity;
import dev.parley.spi.SessionTicket;
import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Tickets resume only at the issuing node process, for its name, epoch and channel, within their lifetime. */
class ResumptionTicketsTest {
    private static final byte[] NONE = new byte[0];
    private static final byte[] BINDING = {1, 2, 3};

    private final AtomicLong clock = new AtomicLong(1_000);
    private final ResumptionTickets tickets = new ResumptionTickets(clock::get);
    private final byte[] publicKey = Identity.generate().publicKey();

    private ResumptionTickets.Resumed verify(ResumptionTickets at, String node, String epoch, byte[] binding,
                                             SessionTicket ticket) {
        byte[] nonce = SessionTicket.newNonce();
        return at.verify(node, epoch, binding, ticket.ticket(), NONE, nonce, ticket.proof(binding, NONE, nonce));
    }

    @Test
    void aTicketResumesAsItsKeyAndKeepsTheTimeOfTheLastSignature() {
        SessionTicket ticket = tickets.issue("n", "e", BINDING, publicKey, 500);
        ResumptionTickets.Resumed resumed = verify(tickets, "n", "e", BINDING, ticket);
        assertThat(resumed.publicKey()).isEqualTo(publicKey);
        assertThat(resumed.signedAtNanos()).isEqualTo(500);
        assertThat(ticket.lifetime()).isEqualTo(ResumptionTickets.LIFETIME);
    }

    @Test
    void anotherNodeProcessNameEpochOrChannelRefusesIt() {
        SessionTicket ticket = tickets.issue("n", "e", BINDING, publicKey, clock.get());
        assertThatThrownBy(() -> verify(new ResumptionTickets(clock::get), "n", "e", BINDING, ticket))
                .isInstanceOf(AuthenticationException.class).hasMessageContaining("not issued by this node");
        assertThatThrownBy(() -> verify(tickets, "other", "e", BINDING, ticket)).isInstanceOf(AuthenticationException.class);
        assertThatThrownBy(() -> verify(tickets, "n", "other", BINDING, ticket)).isInstanceOf(AuthenticationException.class);
        assertThatThrownBy(() -> verify(tickets, "n", "e", NONE, ticket)).isInstanceOf(AuthenticationException.class);
    }

    @Test
    void anExpiredTicketAndAnOldChainAreRefused() {
        SessionTicket ticket = tickets.issue("n", "e", NONE, publicKey, clock.get());
        clock.addAndGet(ResumptionTickets.LIFETIME.toNanos() - 1);
        verify(tickets, "n", "e", NONE, ticket);
        clock.incrementAndGet();
        assertThatThrownBy(() -> verify(tickets, "n", "e", NONE, ticket)).isInstanceOf(AuthenticationException.class)
                .hasMessageContaining("expired");

        long signedAt = clock.get() - ResumptionTickets.SIGNATURE_VALIDITY.toNanos();
        SessionTicket renewed = tickets.issue("n", "e", NONE, publicKey, signedAt);
        assertThatThrownBy(() -> verify(tickets, "n", "e", NONE, renewed)).isInstanceOf(AuthenticationException.class)
                .hasMessageContaining("sign again");
    }

    @Test
    void aWrongProofATamperedTicketAndGarbageAreRefused() {
        SessionTicket ticket = tickets.issue("n", "e", NONE, publicKey, clock.get());
        byte[] nonce = SessionTicket.newNonce();
        assertThatThrownBy(() -> tickets.verify("n", "e", NONE, ticket.ticket(), NONE, nonce,
                SessionTicket.proof(new byte[32], NONE, NONE, nonce)))
                .isInstanceOf(AuthenticationException.class).hasMessageContaining("proof");
        assertThatThrownBy(() -> tickets.verify("n", "e", NONE, ticket.ticket(), NONE, new byte[2],
                ticket.proof(NONE, NONE, new byte[2]))).isInstanceOf(AuthenticationException.class)
                .hasMessageContaining("nonce");
        byte[] tampered = ticket.ticket();
        tampered[5] ^= 1; // the issue time
        assertThatThrownBy(() -> tickets.verify("n", "e", NONE, tampered, NONE, nonce, ticket.proof(NONE, NONE, nonce)))
                .isInstanceOf(AuthenticationException.class);
        for (byte[] garbage : new byte[][]{NONE, new byte[7], new byte[81], new byte[200]}) {
            assertThatThrownBy(() -> tickets.verify("n", "e", NONE, garbage, NONE, nonce, NONE))
                    .isInstanceOf(AuthenticationException.class);
        }
    }
}
