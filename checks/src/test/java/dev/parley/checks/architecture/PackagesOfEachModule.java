package dev.parley.checks.architecture;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.library.dependencies.SliceAssignment;
import com.tngtech.archunit.library.dependencies.SliceIdentifier;

import java.util.Set;

/** One slice per package of each chosen module: cycles are looked for between the packages of one module. */
final class PackagesOfEachModule implements SliceAssignment {
    private final Set<String> modules;
    private final boolean chosen;
    private final String description;

    private PackagesOfEachModule(Set<String> modules, boolean chosen, String description) {
        this.modules = modules;
        this.chosen = chosen;
        this.description = description;
    }

    static PackagesOfEachModule of(String... artifactIds) {
        return new PackagesOfEachModule(Set.of(artifactIds), true, "the packages of " + String.join(", ", artifactIds));
    }

    static PackagesOfEachModule allBut(String... artifactIds) {
        return new PackagesOfEachModule(Set.of(artifactIds), false,
                "the packages of each module but " + String.join(", ", artifactIds));
    }

    @Override
    public SliceIdentifier getIdentifierOf(JavaClass javaClass) {
        return ReactorClasses.moduleOf(javaClass)
                .filter(module -> modules.contains(module) == chosen)
                .map(module -> SliceIdentifier.of(module, javaClass.getPackageName()))
                .orElse(SliceIdentifier.ignore());
    }

    @Override
    public String getDescription() {
        return description;
    }
}
