package dev.parley.checks.build;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * parley-bom lists exactly the library modules of the reactor, and the consumer project (src/it) and this
 * module declare each of them without a version. A library module added to the root pom without a BOM
 * entry, or a BOM entry without a module, fails here.
 */
class BomTest {
    private static final String GROUP = "dev.parley";
    private final Reactor reactor = Reactor.current();

    @Test
    void bomManagesExactlyTheLibraryModules() {
        Pom bom = reactor.module("parley-bom").pom();

        assertThat(artifactIds(bom.managedDependencies()))
                .as("dev.parley artifacts managed by %s", bom.file())
                .containsExactlyInAnyOrderElementsOf(libraryArtifactIds());
        assertThat(bom.managedDependencies()).filteredOn(d -> d.groupId().equals(GROUP))
                .allSatisfy(d -> assertThat(d.version()).contains("${project.version}"));
    }

    /** A BOM user gets protobuf, grpc-java and Netty at the versions the build tests, not grpc-netty's older Netty. */
    @Test
    void bomPinsTheThirdPartyVersionsTheBuildUses() {
        Pom bom = reactor.module("parley-bom").pom();
        for (String version : List.of("protobuf.version", "grpc.version", "netty.version")) {
            assertThat(bom.property(version)).as(version).isEqualTo(reactor.rootPom().property(version)).isPresent();
        }
        assertThat(bom.managedDependencies()).filteredOn(d -> d.scope().equals("import"))
                .extracting(Pom.Dependency::artifactId).containsExactly("protobuf-bom", "grpc-bom", "netty-bom");
    }

    @Test
    void applicationsAndChecksAreModulesButNotLibraries() {
        Set<String> jarModules = reactor.modules().stream().filter(m -> m.packaging().equals("jar"))
                .map(ReactorModule::artifactId).collect(Collectors.toSet());

        assertThat(jarModules).containsAll(Reactor.NOT_LIBRARIES);
        assertThat(libraryArtifactIds()).doesNotContainAnyElementsOf(Reactor.NOT_LIBRARIES).isNotEmpty();
    }

    @Test
    void consumerProjectImportsTheBomAndDeclaresEveryLibraryWithoutAVersion() {
        Pom consumer = Pom.read(reactor.module("parley-checks").dir().resolve(Path.of("src", "it", "bom-consumer", "pom.xml")));

        assertImportsTheBomAndDeclaresEveryLibraryWithoutAVersion(consumer);
    }

    /** invoker:install copies this module's test class path for the consumer: it must hold every library. */
    @Test
    void checksModuleDependsOnEveryLibraryThroughTheBom() {
        assertImportsTheBomAndDeclaresEveryLibraryWithoutAVersion(reactor.module("parley-checks").pom());
    }

    private void assertImportsTheBomAndDeclaresEveryLibraryWithoutAVersion(Pom pom) {
        assertThat(pom.managedDependencies()).as("imports in %s", pom.file())
                .anySatisfy(d -> {
                    assertThat(d.artifactId()).isEqualTo("parley-bom");
                    assertThat(d.type()).isEqualTo("pom");
                    assertThat(d.scope()).isEqualTo("import");
                });
        List<Pom.Dependency> libraries = pom.dependencies().stream()
                .filter(d -> d.groupId().equals(GROUP) && d.type().equals("jar")).toList();
        assertThat(artifactIds(libraries)).as("dev.parley jars declared by %s", pom.file())
                .containsExactlyInAnyOrderElementsOf(libraryArtifactIds());
        assertThat(libraries).as("versions in %s (the BOM gives them)", pom.file())
                .allSatisfy(d -> assertThat(d.version()).isEmpty());
    }

    private List<String> libraryArtifactIds() {
        return reactor.libraries().stream().map(ReactorModule::artifactId).toList();
    }

    private static List<String> artifactIds(List<Pom.Dependency> dependencies) {
        return dependencies.stream().filter(d -> d.groupId().equals(GROUP)).map(Pom.Dependency::artifactId).toList();
    }
}
