package dev.parley.testing;

import java.net.URI;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;

/** {@link Faults} through a {@link FaultProxy}: real TCP resets, cuts, silent stalls, slow links and blackholes. */
final class ProxyFaults implements Faults {
    /** How long {@link Fault#SLOW} holds back every chunk. */
    static final Duration SLOW_DELAY = Duration.ofMillis(2);
    private static final Set<Fault> SUPPORTED = EnumSet.of(Fault.RESET, Fault.CUT_MID_FRAME, Fault.STALL, Fault.SLOW,
            Fault.BLACKHOLE);

    private final URI target;
    private final FaultProxy proxy;

    ProxyFaults(URI target) {
        this.target = Objects.requireNonNull(target, "target");
        this.proxy = FaultProxy.start(target);
    }

    @Override
    public Set<Fault> supported() {
        return EnumSet.copyOf(SUPPORTED);
    }

    @Override
    public URI endpoint() {
        return proxy.uri(target.getScheme());
    }

    @Override
    public void inject(Fault fault, String victimInboxId) {
        Objects.requireNonNull(victimInboxId, "victimInboxId");
        switch (fault) {
            case RESET -> proxy.resetAll();
            case CUT_MID_FRAME -> proxy.cutMidFrame();
            case STALL -> proxy.stall();
            case SLOW -> proxy.slow(SLOW_DELAY);
            case BLACKHOLE -> proxy.blackhole();
            default -> throw fault.notSupportedBy(this);
        }
    }

    @Override
    public void resume() {
        proxy.resume();
    }

    @Override
    public void close() {
        proxy.close();
    }

    @Override
    public String toString() {
        return "fault proxy " + endpoint() + " -> " + target;
    }
}
