package io.multiprocess.hazelcast;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import org.junit.jupiter.api.Test;

/** This module, its tests included, uses core's public API only, and no Spring: it is the plain-Java layer. */
class UsesNoInternalsTest {

    @Test
    void noClassOfThisModuleUsesCoreInternalsOrSpring() {
        JavaClasses module = new ClassFileImporter().importPackages("io.multiprocess.hazelcast");
        assertThat(module).isNotEmpty();
        noClasses().should().dependOnClassesThat().resideInAnyPackage("io.multiprocess.internal..",
                "org.springframework..").check(module);
    }
}
