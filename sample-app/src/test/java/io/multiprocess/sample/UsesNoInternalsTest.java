package io.multiprocess.sample;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.lang.ArchRule;
import org.junit.jupiter.api.Test;

/**
 * This module, its tests included, uses core's public API only: {@code io.multiprocess.internal} may change in any
 * release, and what this module needs of it belongs in the API (such as {@code io.multiprocess.Diagnostics}).
 */
class UsesNoInternalsTest {

    @Test
    void noClassOfThisModuleUsesCoreInternals() {
        JavaClasses module = new ClassFileImporter().importPackages("io.multiprocess.sample");
        assertFalse(module.isEmpty(), "no class of io.multiprocess.sample was found");
        ArchRule rule = noClasses().should().dependOnClassesThat().resideInAPackage("io.multiprocess.internal..");
        rule.check(module);
    }
}
