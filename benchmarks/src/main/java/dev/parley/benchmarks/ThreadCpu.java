package dev.parley.benchmarks;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.regex.Pattern;

/** CPU time read from the JVM: of the whole process, and of the live threads with a given name. */
final class ThreadCpu {
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
    private static final com.sun.management.OperatingSystemMXBean OS =
            (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

    private ThreadCpu() {
    }

    /** CPU time the process has used so far, ns. */
    static long process() {
        return OS.getProcessCpuTime();
    }

    /** CPU time used so far by the live threads whose name matches {@code name}, ns. */
    static long ofThreadsNamed(Pattern name) {
        long total = 0;
        for (ThreadInfo thread : THREADS.getThreadInfo(THREADS.getAllThreadIds())) {
            if (thread != null && name.matcher(thread.getThreadName()).matches()) {
                total += Math.max(0, THREADS.getThreadCpuTime(thread.getThreadId()));
            }
        }
        return total;
    }
}
