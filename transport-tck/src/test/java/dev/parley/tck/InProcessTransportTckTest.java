package dev.parley.tck;

/** The in-process transport keeps the same contract. */
class InProcessTransportTckTest extends TransportContract {
    @Override
    protected String scheme() {
        return "inproc";
    }

    @Override
    protected String listenAddress() {
        return null;
    }
}
