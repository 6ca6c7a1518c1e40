package dev.parley.tck.fuzz;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Watches what is logged to standard error (where slf4j-simple writes, looking the stream up on
 * each line) while a property runs, and keeps the warning and error lines: a node that logs one
 * while fuzzed met an exception it did not expect. Passes everything through.
 */
final class LogWatch implements AutoCloseable {
    private final PrintStream original = System.err;
    private final List<String> alarms = new CopyOnWriteArrayList<>();

    LogWatch() {
        System.setErr(new PrintStream(new Tee(), true, StandardCharsets.UTF_8));
    }

    /** The warning and error lines logged since this watch started or was last cleared. */
    List<String> alarms() {
        return List.copyOf(alarms);
    }

    void clear() {
        alarms.clear();
    }

    @Override
    public void close() {
        System.setErr(original);
    }

    private final class Tee extends OutputStream {
        private final ByteArrayOutputStream line = new ByteArrayOutputStream();

        @Override
        public synchronized void write(int b) {
            original.write(b);
            if (b == '\n') {
                String text = line.toString(StandardCharsets.UTF_8);
                line.reset();
                if (text.contains(" WARN ") || text.contains(" ERROR ")) {
                    alarms.add(text);
                }
            } else {
                line.write(b);
            }
        }

        @Override
        public synchronized void write(byte[] b, int off, int len) {
            for (int i = off; i < off + len; i++) {
                write(b[i]);
            }
        }

        @Override
        public void flush() {
            original.flush();
        }
    }
}
