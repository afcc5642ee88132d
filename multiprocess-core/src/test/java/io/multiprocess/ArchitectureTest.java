package io.multiprocess;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaCodeUnit;
import com.tngtech.archunit.core.domain.JavaField;
import com.tngtech.archunit.core.domain.JavaModifier;
import com.tngtech.archunit.core.domain.JavaType;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.EvaluationResult;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The shape of core, checked on its bytecode: no package cycle, no Spring, and an API that never shows a type of
 * {@code io.multiprocess.internal} to its users. Each rule is also tried on a small set of classes that breaks it,
 * so a rule that can no longer fail is caught too.
 */
class ArchitectureTest {

    private static final JavaClasses CORE = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.multiprocess");

    /** Every package of core is its own slice: {@code io.multiprocess}, {@code io.multiprocess.pool}, ... */
    static final ArchRule NO_PACKAGE_CYCLES = slices().matching("io.(**)").namingSlices("$1")
            .should().beFreeOfCycles();

    static final ArchRule NO_SPRING = noClasses().should().dependOnClassesThat()
            .resideInAnyPackage("org.springframework..")
            .because("core is plain Java; the Spring Boot layer lives in the autoconfigure module");

    static final ArchRule API_HIDES_INTERNALS = classes().that(areApi()).should(exposeNoInternalType())
            .because("what users import must not need io.multiprocess.internal, which may change at any time");

    @Test
    void corePackagesHaveNoCycle() {
        assertThat(CORE.size()).as("classes imported").isGreaterThan(100);
        NO_PACKAGE_CYCLES.check(CORE);
    }

    @Test
    void coreDoesNotReferenceSpring() {
        NO_SPRING.check(CORE);
    }

    @Test
    void publicApiExposesNoInternalType() {
        API_HIDES_INTERNALS.check(CORE);
    }

    @Test
    void theRulesFailOnCodeThatBreaksThem() {
        JavaClasses cycle = new ClassFileImporter().importClasses(
                io.multiprocess.archfixtures.a.UsesB.class, io.multiprocess.archfixtures.b.UsesA.class);
        assertThat(NO_PACKAGE_CYCLES.evaluate(cycle).hasViolation()).as("a cycle of two packages").isTrue();

        JavaClasses leaky = new ClassFileImporter().importClasses(io.multiprocess.archfixtures.a.LeakyApi.class,
                io.multiprocess.archfixtures.internal.Hidden.class);
        EvaluationResult result = API_HIDES_INTERNALS.evaluate(leaky);
        assertThat(result.getFailureReport().getDetails()).as("each way an internal type can leak")
                .anyMatch(line -> line.contains("returns"))
                .anyMatch(line -> line.contains("takes"))
                .anyMatch(line -> line.contains("field"))
                .anyMatch(line -> line.contains("extends or implements"));
    }

    /** Public classes outside {@code ..internal..}, and public nested classes of those. */
    private static DescribedPredicate<JavaClass> areApi() {
        return DescribedPredicate.describe("are public API", ArchitectureTest::isApi);
    }

    static boolean isApi(JavaClass type) {
        if (type.getPackageName().contains(".internal") || !type.getModifiers().contains(JavaModifier.PUBLIC)) {
            return false;
        }
        return type.getEnclosingClass().map(ArchitectureTest::isApi).orElse(true);
    }

    private static ArchCondition<JavaClass> exposeNoInternalType() {
        return new ArchCondition<>("expose no internal type in a public or protected signature") {
            @Override
            public void check(JavaClass type, ConditionEvents events) {
                List<String> leaks = new ArrayList<>();
                List<JavaType> supertypes = new ArrayList<>();
                type.getSuperclass().ifPresent(supertypes::add);
                supertypes.addAll(type.getInterfaces());
                for (JavaType supertype : supertypes) {
                    internals(supertype).forEach(t -> leaks.add("extends or implements " + t));
                }
                for (JavaCodeUnit unit : type.getCodeUnits()) {
                    if (!visible(unit.getModifiers()) || unit.getModifiers().contains(JavaModifier.SYNTHETIC)) {
                        continue;
                    }
                    internals(unit.getReturnType()).forEach(t -> leaks.add(unit.getName() + " returns " + t));
                    for (JavaType parameter : unit.getParameterTypes()) {
                        internals(parameter).forEach(t -> leaks.add(unit.getName() + " takes " + t));
                    }
                    unit.getThrowsClause().getTypes().stream().filter(ArchitectureTest::isInternal)
                            .forEach(t -> leaks.add(unit.getName() + " throws " + t.getName()));
                }
                for (JavaField field : type.getFields()) {
                    if (visible(field.getModifiers())) {
                        internals(field.getType()).forEach(t -> leaks.add("field " + field.getName() + " is " + t));
                    }
                }
                for (String leak : leaks) {
                    events.add(SimpleConditionEvent.violated(type, type.getName() + ": " + leak));
                }
            }
        };
    }

    private static boolean visible(Set<JavaModifier> modifiers) {
        return modifiers.contains(JavaModifier.PUBLIC) || modifiers.contains(JavaModifier.PROTECTED);
    }

    private static List<String> internals(JavaType type) {
        return type.getAllInvolvedRawTypes().stream().filter(ArchitectureTest::isInternal).map(JavaClass::getName)
                .toList();
    }

    private static boolean isInternal(JavaClass type) {
        return type.getPackageName().matches(".*\\.internal(\\..*)?");
    }
}
