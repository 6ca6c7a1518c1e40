package dev.parley.tck;

/** Many in-process clients share the JVM's pools (in process there are no I/O threads). */
class InProcessSharedThreadsTest extends SharedThreadsContract {
    @Override
    protected String scheme() {
        return "inproc";
    }
}
