package dev.parley.checks.jpms;

import dev.parley.checks.build.Reactor;
import dev.parley.checks.build.ReactorModule;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleDescriptor.Exports;
import java.lang.module.ModuleFinder;
import java.lang.module.ModuleReference;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.jar.JarFile;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the built jars say to the module system: parley-api is the explicit module {@code dev.parley.api} with
 * its public packages exported to everyone and {@code dev.parley.internal} only to named modules; every other
 * library jar is an automatic module named by its pom's {@code module.name}.
 */
class ModuleDescriptorsTest {
    private static final Reactor REACTOR = Reactor.current();
    private static final String API = "parley-api";

    @Test
    void apiJarIsTheExplicitModuleItsPomNames() {
        ReactorModule api = REACTOR.module(API);
        ModuleDescriptor descriptor = descriptorOf(REACTOR.builtJar(api));

        assertThat(descriptor.isAutomatic()).isFalse();
        assertThat(descriptor.name()).isEqualTo("dev.parley.api").isEqualTo(api.requiredModuleName());
    }

    @Test
    void apiExportsItsPublicPackagesToEveryoneAndInternalOnlyToNamedParleyModules() {
        ModuleDescriptor descriptor = descriptorOf(REACTOR.builtJar(REACTOR.module(API)));

        assertThat(descriptor.exports()).filteredOn(e -> !e.isQualified()).extracting(Exports::source)
                .containsExactlyInAnyOrder("dev.parley", "dev.parley.spi", "dev.parley.spi.node");
        assertThat(descriptor.exports()).filteredOn(e -> e.source().equals("dev.parley.internal")).singleElement()
                .satisfies(internal -> {
                    assertThat(internal.isQualified()).isTrue();
                    assertThat(internal.targets()).isNotEmpty().allSatisfy(t -> assertThat(t).startsWith("dev.parley."));
                });
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("librariesButTheApi")
    void libraryJarIsAnAutomaticModuleNamedByItsPom(String artifactId) throws IOException {
        ReactorModule library = REACTOR.module(artifactId);
        Path jar = REACTOR.builtJar(library);

        assertThat(automaticModuleNameOf(jar)).as("Automatic-Module-Name of %s", jar).isEqualTo(library.requiredModuleName());
        ModuleDescriptor descriptor = descriptorOf(jar);
        assertThat(descriptor.isAutomatic()).isTrue();
        assertThat(descriptor.name()).isEqualTo(library.requiredModuleName());
    }

    static List<String> librariesButTheApi() {
        return REACTOR.libraries().stream().map(ReactorModule::artifactId).filter(a -> !a.equals(API)).toList();
    }

    /** The descriptor the module system reads from {@code jar}: explicit, or derived for an automatic module. */
    static ModuleDescriptor descriptorOf(Path jar) {
        Set<ModuleReference> found = ModuleFinder.of(jar).findAll();
        assertThat(found).as("modules in %s", jar).hasSize(1);
        return found.iterator().next().descriptor();
    }

    private static String automaticModuleNameOf(Path jar) throws IOException {
        try (JarFile file = new JarFile(jar.toFile())) {
            return file.getManifest().getMainAttributes().getValue("Automatic-Module-Name");
        }
    }
}
