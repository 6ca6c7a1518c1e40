package dev.parley.checks.build;

import java.nio.file.Path;
import java.util.Optional;

/**
 * One module of the reactor: its directory, its pom's artifactId and packaging, and {@code moduleName},
 * the pom's {@code module.name} property (its JPMS name).
 */
public record ReactorModule(Path dir, String artifactId, String packaging, Optional<String> moduleName) {
    static ReactorModule of(Path dir) {
        Pom pom = Pom.read(dir.resolve("pom.xml"));
        return new ReactorModule(dir, pom.artifactId(), pom.packaging(), pom.property("module.name"));
    }

    public Pom pom() {
        return Pom.read(dir.resolve("pom.xml"));
    }

    /** Where the build compiled the module's main classes. */
    public Path classes() {
        return dir.resolve("target").resolve("classes");
    }

    /** The jar the build packaged. */
    public Path jar(String version) {
        return dir.resolve("target").resolve(artifactId + "-" + version + ".jar");
    }

    public String requiredModuleName() {
        return moduleName.orElseThrow(() -> new IllegalStateException(artifactId + " has no module.name property"));
    }
}
