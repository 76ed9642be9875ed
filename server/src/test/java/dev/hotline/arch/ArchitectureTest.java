package dev.hotline.arch;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

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
        features = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_JARS)
                .withImportOption(serverOnly)
                .withImportOption(location -> !location.contains("/dev/hotline/web/") && !location.contains("/dev/hotline/app/"))
                .importPackages("dev.hotline");
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
        noClasses().that().resideOutsideOfPackages("dev.hotline.web..", "dev.hotline.app..")
                .and().haveSimpleNameNotEndingWith("Routes")
                .should().dependOnClassesThat().resideInAnyPackage("dev.hotline.web..", "io.javalin..")
                .because("domain code throws DomainException; only the HTTP edge (web, *Routes) and the wiring (app) know HTTP")
                .check(server);
    }
}
