package dev.parley.checks.architecture;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.library.dependencies.SliceAssignment;
import com.tngtech.archunit.library.dependencies.SliceIdentifier;

/** One slice per package of each module: cycles are looked for between the packages of one module. */
final class PackagesOfEachModule implements SliceAssignment {
    private PackagesOfEachModule() {
    }

    static PackagesOfEachModule all() {
        return new PackagesOfEachModule();
    }

    @Override
    public SliceIdentifier getIdentifierOf(JavaClass javaClass) {
        return ReactorClasses.moduleOf(javaClass)
                .map(module -> SliceIdentifier.of(module, javaClass.getPackageName()))
                .orElse(SliceIdentifier.ignore());
    }

    @Override
    public String getDescription() {
        return "the packages of each module";
    }
}
