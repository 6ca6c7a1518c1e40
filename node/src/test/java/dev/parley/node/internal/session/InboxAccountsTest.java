package dev.parley.node.internal.session;

import dev.parley.TransportException;
import org.junit.jupiter.api.Test;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Sessions and bytes in flight per inbox, held on one account per inbox that its sessions share. */
class InboxAccountsTest {
    private final InboxAccounts accounts = new InboxAccounts();

    @Test
    void sessionsOfAnInboxShareOneAccountUpToTheLimit() {
        InboxAccounts.Account first = accounts.sessionStarted("alice", 2);
        InboxAccounts.Account second = accounts.sessionStarted("alice", 2);
        assertThat(second).isSameAs(first);
        assertThat(accounts.sessionStarted("alice", 2)).as("a third is over the limit").isNull();
        assertThat(accounts.sessionStarted("bob", 2)).isNotSameAs(first);
        accounts.sessionEnded(first);
        assertThat(accounts.sessionStarted("alice", 2)).isSameAs(first);
        assertThat(first.sessions()).isEqualTo(2);
    }

    @Test
    void anAccountHoldingNothingIsForgottenAndANewSessionGetsAFreshOne() {
        InboxAccounts.Account account = accounts.sessionStarted("alice", 1);
        assertThat(account.tryTakeBytes(10, 100, inbox -> 0)).isTrue();
        accounts.sessionEnded(account);
        assertThat(accounts.find("alice")).as("bytes still in flight keep it").isSameAs(account);
        account.giveBackBytes(10);
        assertThat(accounts.find("alice")).isNull();
        assertThatThrownBy(() -> account.tryTakeBytes(1, 100, inbox -> 0)).isInstanceOf(TransportException.class);
        assertThat(accounts.sessionStarted("alice", 1)).isNotSameAs(account);
        assertThat(accounts.sessionStarted("bob", 0)).as("refused at a limit of none").isNull();
        assertThat(accounts.find("bob")).isNull();
    }

    @Test
    void bytesInFlightPlusStoredStayWithinTheMaximum() {
        InboxAccounts.Account account = accounts.sessionStarted("alice", 1);
        AtomicLong stored = new AtomicLong(500);
        assertThat(account.tryTakeBytes(300, 1000, inbox -> stored.get())).isTrue();
        assertThat(account.tryTakeBytes(201, 1000, inbox -> stored.get())).isFalse();
        assertThat(account.tryTakeBytes(200, 1000, inbox -> stored.get())).isTrue();
        account.giveBackBytes(300);
        stored.addAndGet(300); // the store counts what it kept
        assertThat(account.bytesInFlight()).isEqualTo(200);
        assertThat(account.tryTakeBytes(1, 1000, inbox -> stored.get())).isFalse();
    }

    @Test
    void writableTopicsAreRememberedUpToABound() {
        InboxAccounts.Account account = accounts.sessionStarted("alice", 1);
        InboxAccounts.WritableTopic a = new InboxAccounts.WritableTopic("conv/a", "conv/", "a");
        assertThat(account.knownWritable("conv/a")).isNull();
        account.foundWritable(a);
        assertThat(account.knownWritable(new String("conv/a"))).isSameAs(a);
        for (int i = 0; i < 5_000; i++) {
            account.foundWritable(new InboxAccounts.WritableTopic("conv/" + i, "conv/", String.valueOf(i)));
        }
        assertThat(account.knownWritable("conv/a")).isSameAs(a);
        assertThat(account.knownWritable("conv/4999")).as("past the bound: checked again each time").isNull();
    }

    @Test
    void theLastTopicAnsweredForgetsNoOtherTopic() {
        InboxAccounts.Account account = accounts.sessionStarted("alice", 1);
        InboxAccounts.WritableTopic a = new InboxAccounts.WritableTopic("conv/a", "conv/", "a");
        InboxAccounts.WritableTopic b = new InboxAccounts.WritableTopic("conv/b", "conv/", "b");
        account.foundWritable(a);
        account.foundWritable(b);
        for (int round = 0; round < 3; round++) {
            assertThat(account.knownWritable(new String("conv/a"))).isSameAs(a);
            assertThat(account.knownWritable(new String("conv/a"))).isSameAs(a);
            assertThat(account.knownWritable(new String("conv/b"))).isSameAs(b);
            assertThat(account.knownWritable("conv/c")).isNull();
            assertThat(account.knownWritable("conv/")).isNull();
        }
    }

    @Test
    void concurrentSessionsNeverHoldMoreThanTheMaximum() throws Exception {
        int threads = 4;
        long max = 1_000;
        AtomicLong stored = new AtomicLong();
        AtomicLong peak = new AtomicLong();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            CountDownLatch start = new CountDownLatch(1);
            Future<?>[] done = new Future<?>[threads];
            for (int t = 0; t < threads; t++) {
                done[t] = pool.submit(() -> {
                    start.await();
                    for (int i = 0; i < 20_000; i++) {
                        InboxAccounts.Account session = accounts.sessionStarted("alice", threads);
                        if (session.tryTakeBytes(300, max, inbox -> stored.get())) {
                            peak.accumulateAndGet(session.bytesInFlight() + stored.get(), Math::max);
                            session.giveBackBytes(300);
                        }
                        accounts.sessionEnded(session);
                    }
                    return null;
                });
            }
            start.countDown();
            for (Future<?> f : done) {
                f.get(60, TimeUnit.SECONDS);
            }
            assertThat(peak.get()).isPositive().isLessThanOrEqualTo(max);
            assertThat(accounts.find("alice")).isNull();
        } finally {
            pool.shutdownNow();
            assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
        }
    }
}
