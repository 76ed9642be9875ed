package dev.hotline.engine;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The engine's boundaries: its public API ({@code call}, {@code media}, {@code tts}) knows nothing of
 * the protocol layers that implement it ({@code sip}, {@code rtp}, {@code sdp}, {@code webrtc}), and
 * the engine's packages form no cycle.
 */
class EngineArchitectureTest {
    private static JavaClasses engine;

    @BeforeAll
    static void importEngine() {
        engine = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("dev.hotline.engine");
    }

    @Test
    void publicApiDoesNotDependOnProtocolLayers() {
        noClasses().that().resideInAnyPackage("dev.hotline.engine.call..", "dev.hotline.engine.media..",
                        "dev.hotline.engine.tts..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.hotline.engine.sip..",
                        "dev.hotline.engine.rtp..", "dev.hotline.engine.sdp..", "dev.hotline.engine.webrtc..")
                .because("the server programs against the API; SIP, RTP, SDP and WebRTC are the engine's own business")
                .check(engine);
    }

    @Test
    void enginePackagesFormNoCycle() {
        slices().matching("dev.hotline.engine.(*)..").should().beFreeOfCycles().check(engine);
    }
}
