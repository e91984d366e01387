package org.debvisor.agent;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Keeps the dependency rules of SPEC §2: one capability per package, no cycles, proto at the
 * bottom.
 */
class ArchitectureTest {

  private static JavaClasses classes;

  @BeforeAll
  static void importClasses() {
    classes =
        new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            // Our own code only: scanning every dependency jar would take most of the test's time.
            .withImportOption(
                location ->
                    !location.isJar()
                        || location.contains("debvisor-proto")
                        || location.contains("debvisor-common"))
            .importPackages("org.debvisor");
  }

  @Test
  void packagesHaveNoCycles() {
    slices().matching("org.debvisor.agent.(**)").should().beFreeOfCycles().check(classes);
  }

  @Test
  void protoIsAtTheBottom() {
    noClasses()
        .that()
        .resideInAPackage("org.debvisor.proto..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("org.debvisor.agent..")
        .check(classes);
  }

  @Test
  void settingsAreSelfContained() {
    noClasses()
        .that()
        .resideInAPackage("org.debvisor.agent.settings..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "org.debvisor.agent.collect..",
            "org.debvisor.agent.server..",
            "org.debvisor.agent.report..",
            "org.debvisor.agent.metrics..",
            "org.debvisor.proto..")
        .check(classes);
  }

  @Test
  void collectorsKnowNothingOfServingOrEachOther() {
    for (String source : new String[] {"ceph", "hypervisor", "kubernetes", "system"}) {
      noClasses()
          .that()
          .resideInAPackage("org.debvisor.agent.collect." + source + "..")
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage(
              "org.debvisor.agent.server..",
              "org.debvisor.agent.metrics..",
              "org.debvisor.agent.report..")
          .check(classes);
      for (String other : new String[] {"ceph", "hypervisor", "kubernetes", "system"}) {
        if (!other.equals(source)) {
          noClasses()
              .that()
              .resideInAPackage("org.debvisor.agent.collect." + source + "..")
              .should()
              .dependOnClassesThat()
              .resideInAPackage("org.debvisor.agent.collect." + other + "..")
              .check(classes);
        }
      }
    }
  }

  @Test
  void servingLayersReadTheBoardNotTheCollectors() {
    noClasses()
        .that()
        .resideInAPackage("org.debvisor.agent.server..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("org.debvisor.agent.collect..")
        .check(classes);
  }

  @Test
  void reportDependsOnlyOnProtoAndSettings() {
    noClasses()
        .that()
        .resideInAPackage("org.debvisor.agent.report..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "org.debvisor.agent.collect..",
            "org.debvisor.agent.server..",
            "org.debvisor.agent.metrics..")
        .check(classes);
  }

  @Test
  void enrolmentAndServingMeetOnlyInTheTlsIdentity() {
    noClasses()
        .that()
        .resideInAnyPackage("org.debvisor.agent.server..", "org.debvisor.common.tls..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("org.debvisor.agent.enrol..")
        .check(classes);
    noClasses()
        .that()
        .resideInAnyPackage("org.debvisor.agent.enrol..", "org.debvisor.common.tls..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("org.debvisor.agent.server..", "org.debvisor.agent.collect..")
        .check(classes);
  }

  @Test
  void factsReadTheMachineAndNothingElse() {
    noClasses()
        .that()
        .resideInAPackage("org.debvisor.agent.facts..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "org.debvisor.agent.server..",
            "org.debvisor.agent.enrol..",
            "org.debvisor.common.tls..",
            "org.debvisor.agent.collect..")
        .check(classes);
  }

  @Test
  void theSharedModuleKnowsNothingOfAgentOrController() {
    noClasses()
        .that()
        .resideInAPackage("org.debvisor.common..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("org.debvisor.agent..", "org.debvisor.controller..")
        .check(classes);
  }
}
