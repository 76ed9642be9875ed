package dev.hotline.arch;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The server's boundaries as tests (docs/architecture.md): feature packages form no cycle, the server uses the
 * engine only through its public API, and domain code knows nothing of HTTP.
 */
class ArchitectureTest {
    /** The server's own classes. */
    private static JavaClasses server;
    /** The feature packages: the server less its edge ({@code web}) and its wiring ({@code app}). */
    private static JavaClasses features;

    @BeforeAll
    static void importClasses() {
        ImportOption serverOnly = location -> location.contains("/dev/hotline/") && !location.contains("/dev/hotline/engine/");
        server = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_JARS)
                .withImportOption(serverOnly)
                .importPackages("dev.hotline");
        features = server.that(DescribedPredicate.not(JavaClass.Predicates.resideInAnyPackage("dev.hotline.web..", "dev.hotline.app..")));
    }

    @Test
    void featurePackagesFormNoCycle() {
        slices().matching("dev.hotline.(*)..").should().beFreeOfCycles().check(features);
    }

    @Test
    void serverUsesOnlyTheEnginesPublicApi() {
        noClasses().should().dependOnClassesThat().resideInAnyPackage(
                        "dev.hotline.engine.sip..", "dev.hotline.engine.rtp..", "dev.hotline.engine.sdp..", "dev.hotline.engine.webrtc..")
                .because("the engine's API is dev.hotline.engine.call, media and tts; its protocol layers are internal")
                .check(server);
    }

    @Test
    void domainCodeKnowsNothingOfHttp() {
        // The edges: web itself, the *Routes of each feature, and the CTI WebSocket (cti.CtiHub: transport only,
        // its commands are cti.AgentCommands); app wires everything.
        noClasses().that().resideOutsideOfPackages("dev.hotline.web..", "dev.hotline.app..")
                .and().haveSimpleNameNotEndingWith("Routes")
                .and().doNotHaveFullyQualifiedName("dev.hotline.cti.CtiHub")
                .should().dependOnClassesThat().resideInAnyPackage("dev.hotline.web..", "io.javalin..")
                .because("domain code throws DomainException; only the edges (web, *Routes, the CTI socket) and the wiring (app) know HTTP")
                .check(server);
    }
}
