package dev.hotline.call;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** Routing decides where calls go; call control (desks, the ACD's host side) builds on it, never the other way round. */
class CallLayeringTest {
    private static final JavaClasses CLASSES = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.hotline.routing", "dev.hotline.recording");

    @Test
    void routingDependsNeitherOnCallControlNorOnTheAcdOrTheCtiChannel() {
        noClasses().that().resideInAPackage("dev.hotline.routing..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.hotline.call..", "dev.hotline.acd..", "dev.hotline.cti..")
                .check(CLASSES);
    }

    @Test
    void recordingDecisionsDoNotDependOnRoutingOrCallControl() {
        noClasses().that().resideInAPackage("dev.hotline.recording..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.hotline.routing..", "dev.hotline.call..")
                .check(CLASSES);
    }
}
