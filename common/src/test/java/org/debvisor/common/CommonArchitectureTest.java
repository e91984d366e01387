package org.debvisor.common;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The shared module is the foundation: it knows nothing of what is built on it. */
class CommonArchitectureTest {

  private static JavaClasses classes;

  @BeforeAll
  static void importClasses() {
    classes =
        new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("org.debvisor.common");
  }

  @Test
  void commonDependsOnNeitherAgentNorController() {
    noClasses()
        .that()
        .resideInAPackage("org.debvisor.common..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "org.debvisor.agent..", "org.debvisor.controller..", "org.debvisor.bench..")
        .check(classes);
  }

  @Test
  void capabilitiesHaveNoCycles() {
    slices().matching("org.debvisor.common.(*)..").should().beFreeOfCycles().check(classes);
  }
}
