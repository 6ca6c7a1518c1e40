package dev.parley.checks.architecture;

import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchIgnore;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static dev.parley.checks.architecture.Modules.inAModuleOtherThan;
import static dev.parley.checks.architecture.Modules.inModule;

/**
 * The module structure of README.md and DESIGN-NOTES.md, over the main classes of every module (each attributed
 * to the module that compiled it). A new rule is one more {@code @ArchTest} field, for example that
 * {@code dev.parley.core.stream} depends on no other {@code dev.parley.core..} package.
 */
@AnalyzeClasses(locations = ReactorClasses.class)
class ArchitectureTest {
    /** Packages of one module that need each other cannot be understood, tested or split apart alone. */
    @ArchTest
    static final ArchRule noPackageCycleInAnyOtherModule = slices()
            .assignedFrom(PackagesOfEachModule.allBut("parley-api", "parley-core"))
            .should().beFreeOfCycles();

    /** The same rule for parley-api, which breaks it on main; remove {@code @ArchIgnore} once fixed there. */
    @ArchIgnore(reason = "fails on main: dev.parley <-> dev.parley.spi (Client.create loads spi.ClientFactory, "
            + "ClientOptions takes spi.ContentCodec, Identity implements spi.Authenticator; spi.ClientFactory, "
            + "spi.ContentCodec and spi.Transport use Client, ClientOptions, ContentTypeId, ConversationType) and "
            + "dev.parley <-> dev.parley.internal (Client.create calls internal.Services; internal.Failures and "
            + "internal.Topics create ParleyException subtypes)")
    @ArchTest
    static final ArchRule noPackageCycleInTheApi = slices().assignedFrom(PackagesOfEachModule.of("parley-api"))
            .should().beFreeOfCycles();

    /** The same rule for parley-core, which breaks it on main; remove {@code @ArchIgnore} once fixed there. */
    @ArchIgnore(reason = "fails on main: dev.parley.core.conversation <-> dev.parley.core.stream (conversation: "
            + "Plans, ClientState, ClientServices use stream.StreamPlan, StreamContext, StreamRuntime; stream: "
            + "StreamRuntime and StreamEngine use conversation.Syncer)")
    @ArchTest
    static final ArchRule noPackageCycleInCore = slices().assignedFrom(PackagesOfEachModule.of("parley-core"))
            .should().beFreeOfCycles();

    /** The API is what every user and every transport compiles against: JDK only. */
    @ArchTest
    static final ArchRule apiDependsOnlyOnTheJdk = classes().that(inModule("parley-api"))
            .should().onlyDependOnClassesThat(resideInAPackage("java..").or(inModule("parley-api")))
            .because("parley-api is the JDK-only public API and SPI");

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

    /** dev.parley.internal is exported to Parley's modules only: an SPI using it could not be implemented by others. */
    @ArchTest
    static final ArchRule spiDoesNotDependOnInternal = noClasses().that().resideInAPackage("dev.parley.spi..")
            .should().dependOnClassesThat().resideInAPackage("dev.parley.internal..");

    /** On the module path a module that {@code dev.parley.internal} is not exported to fails with IllegalAccessError. */
    @ArchTest
    static final ArchRule onlyModulesInternalIsExportedToUseIt = noClasses()
            .that(inAModuleOtherThan(Modules.readersOfInternal()))
            .should().dependOnClassesThat().resideInAPackage("dev.parley.internal..")
            .because("parley-api's module-info exports dev.parley.internal only to the modules it names");
}
