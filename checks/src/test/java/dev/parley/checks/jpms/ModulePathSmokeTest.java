package dev.parley.checks.jpms;

import dev.parley.checks.build.Reactor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import javax.tools.ToolProvider;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A user's named module ({@code requires dev.parley.api; requires dev.parley.node;}, src/jpms-smoke) compiled
 * and run in a forked JVM with only the module path: api, protocol, core, node, transport-inproc, protobuf-java,
 * slf4j-api and micrometer-core (with micrometer-commons, micrometer-observation and HdrHistogram). It starts a node, sends a group message at {@code inproc://} and streams it, so the providers
 * of the SPIs are found across named modules. {@code --add-modules org.slf4j}: Parley's other jars are automatic
 * modules, which cannot require slf4j's explicit module, so nothing else would resolve it.
 */
@Timeout(120)
class ModulePathSmokeTest {
    private static final Reactor REACTOR = Reactor.current();
    private static final List<String> PARLEY_JARS = List.of(
            "parley-api", "parley-protocol", "parley-core", "parley-node", "parley-transport-inproc");
    /** The jars of these classes: protobuf-java, slf4j-api, and the node's metrics (micrometer-core and what it needs). */
    private static final List<String> THIRD_PARTY_CLASSES = List.of("com.google.protobuf.Message", "org.slf4j.Logger",
            "io.micrometer.core.instrument.MeterRegistry", "io.micrometer.common.KeyValue",
            "io.micrometer.observation.Observation", "org.HdrHistogram.Histogram");
    private static final String MAIN = "dev.parley.smoke/dev.parley.smoke.SendAndReceive";
    private static final long RUN_SECONDS = 60;

    private final Path work = REACTOR.module("parley-checks").dir().resolve(Path.of("target", "jpms-smoke"));

    @Test
    void namedModuleSendsAndReceivesOnTheModulePath() throws Exception {
        String modulePath = modulePath();
        Path classes = compileSmokeModule(modulePath);

        String output = run("--module-path", modulePath + File.pathSeparator + classes,
                "--add-modules", "org.slf4j", "--module", MAIN);

        assertThat(output).contains("received: hello over the module path", "api module: dev.parley.api",
                "client module: dev.parley.core", "node module: dev.parley.node");
    }

    private String modulePath() throws URISyntaxException {
        List<String> entries = new ArrayList<>();
        for (String artifactId : PARLEY_JARS) {
            entries.add(REACTOR.builtJar(REACTOR.module(artifactId)).toString());
        }
        for (String className : THIRD_PARTY_CLASSES) {
            entries.add(jarOf(className).toString());
        }
        return String.join(File.pathSeparator, entries);
    }

    private Path compileSmokeModule(String modulePath) throws IOException {
        Path sources = REACTOR.module("parley-checks").dir().resolve(Path.of("src", "jpms-smoke"));
        Path classes = work.resolve("classes");
        List<String> args = new ArrayList<>(List.of("-d", classes.toString(), "--module-path", modulePath));
        try (Stream<Path> files = Files.walk(sources)) {
            files.filter(f -> f.toString().endsWith(".java")).forEach(f -> args.add(f.toString()));
        }
        ByteArrayOutputStream diagnostics = new ByteArrayOutputStream();
        int status = ToolProvider.getSystemJavaCompiler().run(null, diagnostics, diagnostics, args.toArray(String[]::new));
        assertThat(status).as("javac %s%n%s", args, diagnostics).isZero();
        return classes;
    }

    /** Runs {@code java args} in a new JVM, at most {@link #RUN_SECONDS}; returns its output once it exited 0. */
    private String run(String... args) throws IOException, InterruptedException {
        Path log = work.resolve("run.log");
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            boolean exited = process.waitFor(RUN_SECONDS, TimeUnit.SECONDS);
            String output = Files.readString(log);
            assertThat(exited).as("%s still running after %d s:%n%s", command, RUN_SECONDS, output).isTrue();
            assertThat(process.exitValue()).as("exit status of %s:%n%s", command, output).isZero();
            return output;
        } finally {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
    }

    private static Path jarOf(String className) throws URISyntaxException {
        try {
            return Path.of(Class.forName(className).getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException(className + " is not on this module's test class path", e);
        }
    }
}
