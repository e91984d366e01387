package org.debvisor.controller;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** SPEC §2 for the controller: one capability per package, no cycles, the CLI on top. */
class ArchitectureTest {

  private static JavaClasses classes;

  @BeforeAll
  static void importClasses() {
    classes =
        new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .withImportOption(location -> !location.isJar())
            .importPackages("org.debvisor.controller");
  }

  @Test
  void packagesHaveNoCycles() {
    slices().matching("org.debvisor.controller.(**)").should().beFreeOfCycles().check(classes);
  }

  @Test
  void preseedKnowsNothingOfIsoOrCli() {
    noClasses()
        .that()
        .resideInAPackage("org.debvisor.controller.preseed..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("org.debvisor.controller.iso..", "org.debvisor.controller.cli..")
        .check(classes);
  }

  @Test
  void onlyTheCliKnowsTheCommandLine() {
    noClasses()
        .that()
        .resideInAnyPackage("org.debvisor.controller.iso..", "org.debvisor.controller.preseed..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("org.debvisor.controller.cli..", "picocli..")
        .check(classes);
  }
}
