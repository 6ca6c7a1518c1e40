package dev.parley.checks.architecture;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import dev.parley.checks.build.Reactor;
import dev.parley.checks.build.ReactorModule;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.module.ModuleDescriptor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/** Picks classes by the module that compiled them (see {@link ReactorClasses#moduleOf}). */
final class Modules {
    private Modules() {
    }

    static DescribedPredicate<JavaClass> inModule(String... artifactIds) {
        Set<String> wanted = Set.of(artifactIds);
        return DescribedPredicate.describe("are in module " + String.join(" or ", artifactIds),
                c -> ReactorClasses.moduleOf(c).filter(wanted::contains).isPresent());
    }

    static DescribedPredicate<JavaClass> inAModuleOtherThan(String... artifactIds) {
        Set<String> excluded = Set.of(artifactIds);
        return DescribedPredicate.describe("are in a module other than " + String.join(", ", artifactIds),
                c -> ReactorClasses.moduleOf(c).filter(m -> !excluded.contains(m)).isPresent());
    }

    /**
     * parley-api and the modules its {@code module-info} exports {@code dev.parley.internal} to (matched by their
     * pom's {@code module.name}).
     */
    static String[] readersOfInternal() {
        Reactor reactor = Reactor.current();
        Path moduleInfo = reactor.builtClasses(reactor.module("parley-api")).resolve("module-info.class");
        Set<String> targets;
        try (InputStream in = Files.newInputStream(moduleInfo)) {
            targets = ModuleDescriptor.read(in).exports().stream().filter(e -> e.source().equals("dev.parley.internal"))
                    .flatMap(e -> e.targets().stream()).collect(Collectors.toSet());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Stream.concat(Stream.of("parley-api"), reactor.codeModules().stream()
                        .filter(m -> m.moduleName().filter(targets::contains).isPresent()).map(ReactorModule::artifactId))
                .toArray(String[]::new);
    }

    /** The transport modules: {@code parley-transport-*} except the TCK, which drives the whole client by design. */
    static String[] transports() {
        List<String> transports = Reactor.current().codeModules().stream().map(ReactorModule::artifactId)
                .filter(a -> a.startsWith("parley-transport-") && !a.equals("parley-transport-tck")).toList();
        return transports.toArray(String[]::new);
    }
}
