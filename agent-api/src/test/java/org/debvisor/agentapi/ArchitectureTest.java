package org.debvisor.agentapi;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;

import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * The agent's contract is shared by agent and controller, so it may lean on nothing else than the
 * protocol and the common module's violations and digests.
 */
class ArchitectureTest {

  @Test
  void dependsOnlyOnTheJdkJacksonProtoAndCommonValues() {
    classes()
        .that()
        .resideInAPackage("org.debvisor.agentapi..")
        .should()
        .onlyDependOnClassesThat()
        .resideInAnyPackage(
            "org.debvisor.agentapi..",
            "org.debvisor.proto..",
            "com.google.protobuf..",
            "org.debvisor.common.violation..",
            "org.debvisor.common.digest..",
            "java..",
            "com.fasterxml.jackson..")
        .check(
            new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("org.debvisor.agentapi"));
  }
}
