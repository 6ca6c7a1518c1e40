package dev.parley.tck;

/** The in-process transport under the reliability suite: the node cuts connections instead of a proxy. */
class InProcessReliabilityTest extends ReliabilityContract {
    @Override
    protected String scheme() {
        return "inproc";
    }

    @Override
    protected boolean usesSockets() {
        return false;
    }
}
