package dev.parley.tck;

/** In-process clients with databases never make the node's threads wait for their files. */
class InProcessStoreThreadsTest extends StoreThreadsContract {
    @Override
    protected String scheme() {
        return "inproc";
    }
}
