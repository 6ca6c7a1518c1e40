package dev.parley.checks.architecture;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.importer.Location;
import com.tngtech.archunit.junit.LocationProvider;
import dev.parley.checks.build.Reactor;
import dev.parley.checks.build.ReactorModule;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The main classes of every module of the reactor, each imported from its module's {@code target/classes}, so
 * that a class belongs to the module that compiled it, whatever its package.
 */
public final class ReactorClasses implements LocationProvider {
    private static final Map<Path, String> MODULE_BY_CLASSES_DIR = Reactor.current().codeModules().stream()
            .collect(Collectors.toMap(m -> Reactor.current().builtClasses(m), ReactorModule::artifactId));

    @Override
    public Set<Location> get(Class<?> testClass) {
        return MODULE_BY_CLASSES_DIR.keySet().stream().map(Location::of).collect(Collectors.toSet());
    }

    /**
     * The artifactId of the module whose {@code target/classes} holds {@code javaClass} (for an array, its
     * component type); empty for JDK and third-party classes.
     */
    public static Optional<String> moduleOf(JavaClass javaClass) {
        return javaClass.getBaseComponentType().getSource()
                .filter(source -> source.getUri().getScheme().equals("file"))
                .map(source -> Path.of(source.getUri()))
                .flatMap(file -> MODULE_BY_CLASSES_DIR.keySet().stream().filter(file::startsWith).findFirst())
                .map(MODULE_BY_CLASSES_DIR::get);
    }
}
