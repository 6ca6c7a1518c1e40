package dev.parley.checks.architecture;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static dev.parley.checks.architecture.Modules.inAModuleOtherThan;
import static dev.parley.checks.architecture.Modules.inModule;

/**
 * The module structure of README.md and DESIGN-NOTES.md, over the main classes of every module (each attributed
 * to the module that compiled it). A new rule is one more {@code @ArchTest} field.
 */
@AnalyzeClasses(locations = ReactorClasses.class)
class ArchitectureTest {
    /** Packages of one module that need each other cannot be understood, tested or split apart alone. */
    @ArchTest
    static final ArchRule noPackageCycleInAnyModule = slices()
            .assignedFrom(PackagesOfEachModule.all())
            .should().beFreeOfCycles();

    /**
     * The stream engine knows nothing of conversations, stores or codecs: it gets what it needs from
     * its {@code StreamPlan}, so it can be tested on a fake clock and reused by every kind of stream.
     */
    @ArchTest
    static final ArchRule streamEngineDependsOnNothingElseInCore = noClasses()
            .that().resideInAPackage("dev.parley.core.stream..")
            .should().dependOnClassesThat(resideInAPackage("dev.parley.core..")
                    .and(DescribedPredicate.not(resideInAPackage("dev.parley.core.stream.."))))
            .because("core.stream gets what it needs from outside through StreamPlan, Scheduler and the Transport SPI");

    /** The API is what every user and every transport compiles against: JDK only. */
    @ArchTest
    static final ArchRule apiDependsOnlyOnTheJdk = classes().that(inModule("parley-api"))
            .should().onlyDependOnClassesThat(resideInAnyPackage("java..", "javax.crypto..").or(inModule("parley-api")))
            .because("parley-api is the JDK-only public API and SPI (javax.crypto: the JDK's HMAC for session tickets)");

    /** A transport serves any client and any node through the SPI alone. */
    @ArchTest
    static final ArchRule transportsDependOnNeitherCoreNorNode = noClasses().that(inModule(Modules.transports()))
            .should().dependOnClassesThat().resideInAnyPackage("dev.parley.core..", "dev.parley.node..")
            .because("transports see clients and nodes only through dev.parley.spi and dev.parley.spi.node");

    /** The client runs without the reference node. */
    @ArchTest
    static final ArchRule coreDoesNotDependOnNode = noClasses().that(inModule("parley-core"))
            .should().dependOnClassesThat().resideInAPackage("dev.parley.node..");

    /** The node runs without the client. */
    @ArchTest
    static final ArchRule nodeDoesNotDependOnCore = noClasses().that(inModule("parley-node"))
            .should().dependOnClassesThat().resideInAPackage("dev.parley.core..");

    /** Fault injection is for tests and demos, never on a library's run-time path. */
    @ArchTest
    static final ArchRule onlyTheCliTheTckAndBenchmarksUseTesting = noClasses()
            .that(inAModuleOtherThan("parley-cli", "parley-transport-tck", "parley-benchmarks", "parley-testing"))
            .should().dependOnClassesThat().resideInAPackage("dev.parley.testing..");

    /**
     * The layers of parley-api: the SPIs build on the API, never the reverse, and the API itself uses only the
     * JDK-only helpers of {@code dev.parley.internal.util}, never the helpers over API types.
     */
    @ArchTest
    static final ArchRule apiDoesNotDependOnTheSpiOrInternalHelpers = noClasses().that().resideInAPackage("dev.parley")
            .should().dependOnClassesThat().resideInAnyPackage("dev.parley.spi..", "dev.parley.internal");

    /** dev.parley.internal is exported to Parley's modules only: an SPI that exposed it could not be implemented by others. */
    @ArchTest
    static final ArchRule spiDoesNotDependOnInternal = noClasses().that().resideInAPackage("dev.parley.spi..")
            .should().dependOnClassesThat().resideInAPackage("dev.parley.internal");

    /** On the module path a module that {@code dev.parley.internal} is not exported to fails with IllegalAccessError. */
    @ArchTest
    static final ArchRule onlyModulesInternalIsExportedToUseIt = noClasses()
            .that(inAModuleOtherThan(Modules.readersOfInternal()))
            .should().dependOnClassesThat().resideInAPackage("dev.parley.internal..")
            .because("parley-api's module-info exports dev.parley.internal only to the modules it names");
}
