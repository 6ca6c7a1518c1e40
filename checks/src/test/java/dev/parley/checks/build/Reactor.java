package dev.parley.checks.build;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

/**
 * The Parley build as its poms describe it: the root pom's modules. The root directory is the system
 * property {@code parley.root} (set by this module's pom), else the parent of the working directory.
 */
public final class Reactor {
    /** Jar modules that are applications or build checks, not libraries: never in the BOM. */
    public static final Set<String> NOT_LIBRARIES = Set.of("parley-cli", "parley-benchmarks", "parley-checks");

    private static final Reactor CURRENT = read(Path.of(System.getProperty("parley.root", "..")));

    private final Path root;
    private final Pom rootPom;
    private final List<ReactorModule> modules;

    private Reactor(Path root, Pom rootPom, List<ReactorModule> modules) {
        this.root = root;
        this.rootPom = rootPom;
        this.modules = modules;
    }

    public static Reactor current() {
        return CURRENT;
    }

    static Reactor read(Path root) {
        Path dir = root.toAbsolutePath().normalize();
        Pom pom = Pom.read(dir.resolve("pom.xml"));
        return new Reactor(dir, pom, pom.modules().stream().map(m -> ReactorModule.of(dir.resolve(m))).toList());
    }

    public Pom rootPom() {
        return rootPom;
    }

    public String version() {
        return rootPom.version();
    }

    public List<ReactorModule> modules() {
        return modules;
    }

    public ReactorModule module(String artifactId) {
        return modules.stream().filter(m -> m.artifactId().equals(artifactId)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no module " + artifactId + " in " + root));
    }

    /** Modules that compile classes of their own: every jar module except this one. */
    public List<ReactorModule> codeModules() {
        return modules.stream().filter(m -> m.packaging().equals("jar") && !m.artifactId().equals("parley-checks"))
                .toList();
    }

    /** The library modules: jar modules that are not applications or checks. */
    public List<ReactorModule> libraries() {
        return modules.stream().filter(m -> m.packaging().equals("jar") && !NOT_LIBRARIES.contains(m.artifactId()))
                .toList();
    }

    /** The module's compiled classes; fails clearly when the module was not built first. */
    public Path builtClasses(ReactorModule module) {
        return requireBuilt(module.classes());
    }

    /** The module's jar; fails clearly when the module was not packaged first. */
    public Path builtJar(ReactorModule module) {
        return requireBuilt(module.jar(version()));
    }

    private static Path requireBuilt(Path path) {
        if (!Files.exists(path)) {
            throw new IllegalStateException(path + " does not exist: build the reactor first (mvn install -DskipTests)");
        }
        return path;
    }
}
