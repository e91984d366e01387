package org.debvisor.controller.provision;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** ssh is a plain SSH library; provision builds on it; only the CLI knows the command line. */
class ProvisioningArchitectureTest {

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
  void sshKnowsNothingOfProvisioningOrTheCli() {
    noClasses()
        .that()
        .resideInAPackage("org.debvisor.controller.ssh..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "org.debvisor.controller.provision..",
            "org.debvisor.controller.cli..",
            "org.debvisor.controller.preseed..",
            "picocli..")
        .check(classes);
  }

  @Test
  void provisioningKnowsNothingOfTheCli() {
    noClasses()
        .that()
        .resideInAPackage("org.debvisor.controller.provision..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("org.debvisor.controller.cli..", "picocli..")
        .check(classes);
  }
}
