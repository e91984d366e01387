package org.debvisor.sim;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** The simulator stands beside the agent: it shares common and agent-api, never agent code. */
class SimArchitectureTest {

  @Test
  void simulatorNeedsNeitherAgentNorController() {
    noClasses()
        .that()
        .resideInAPackage("org.debvisor.sim..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "org.debvisor.agent..", "org.debvisor.controller..", "org.debvisor.bench..")
        .check(
            new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("org.debvisor.sim"));
  }
}
