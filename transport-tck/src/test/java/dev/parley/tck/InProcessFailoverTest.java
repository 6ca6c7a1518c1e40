package dev.parley.tck;

/** Clients of several in-process nodes: an absent node name is an endpoint that does not answer. */
class InProcessFailoverTest extends FailoverContract {
    @Override
    protected String scheme() {
        return "inproc";
    }

    @Override
    protected String listenAddress() {
        return null;
    }
}
