package org.debvisor.controller;

import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideOutsideOfPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
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
            .importPackages("org.debvisor.controller", "org.debvisor.common");
  }

  @Test
  void packagesHaveNoCycles() {
    slices().matching("org.debvisor.controller.(**)").should().beFreeOfCycles().check(classes);
  }

  @Test
  void nodeModelIsTheBottom() {
    // Every capability reads nodes and profiles; the model itself needs none of them.
    noClasses()
        .that()
        .resideInAPackage("org.debvisor.controller.node..")
        .should()
        .dependOnClassesThat(
            resideInAPackage("org.debvisor.controller..")
                .and(resideOutsideOfPackage("org.debvisor.controller.node.."))
                .or(resideInAnyPackage("io.grpc..", "picocli..")))
        .check(classes);
  }

  @Test
  void preseedKnowsNothingOfIsoOrCli() {
    noClasses()
        .that()
        .resideInAPackage("org.debvisor.controller.preseed..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "org.debvisor.controller.iso..",
            "org.debvisor.controller.mirror..",
            "org.debvisor.controller.qemu..",
            "org.debvisor.controller.cli..")
        .check(classes);
  }

  @Test
  void isoAssemblyNeedsNoTestHarness() {
    // Building an ISO reads the mirror; booting one (qemu) is a test harness on top that may
    // reach a node over SSH. Neither mirror access nor assembly may need that harness.
    noClasses()
        .that()
        .resideInAnyPackage("org.debvisor.controller.iso..", "org.debvisor.controller.mirror..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "org.debvisor.controller.qemu..",
            "org.debvisor.controller.ssh..",
            "org.debvisor.controller.provision..")
        .check(classes);
    noClasses()
        .that()
        .resideInAPackage("org.debvisor.controller.mirror..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("org.debvisor.controller.iso..", "org.debvisor.controller.install..")
        .check(classes);
  }

  @Test
  void onlyTheCliKnowsTheCommandLine() {
    noClasses()
        .that()
        .resideInAnyPackage(
            "org.debvisor.controller.iso..",
            "org.debvisor.controller.mirror..",
            "org.debvisor.controller.qemu..",
            "org.debvisor.controller.preseed..",
            "org.debvisor.controller.image..",
            "org.debvisor.controller.install..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("org.debvisor.controller.cli..", "picocli..")
        .check(classes);
  }

  @Test
  void picocliStaysInTheCli() {
    // Capabilities take request objects, never parsed command lines; the renderers in cli.output
    // print results and know nothing of the commands.
    noClasses()
        .that()
        .resideOutsideOfPackages("org.debvisor.controller", "org.debvisor.controller.cli")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("picocli..")
        .orShould()
        .dependOnClassesThat()
        .resideInAPackage("org.debvisor.controller.cli")
        .check(classes);
  }

  @Test
  void vulnerabilityScanStandsAlone() {
    // The release scan reads files only: no other capability, no RPC, no command line.
    noClasses()
        .that()
        .resideInAPackage("org.debvisor.controller.vulnscan..")
        .should()
        .dependOnClassesThat(
            resideInAPackage("org.debvisor.controller..")
                .and(resideOutsideOfPackage("org.debvisor.controller.vulnscan.."))
                .or(resideInAnyPackage("io.grpc..", "picocli..")))
        .check(classes);
  }

  @Test
  void imageBuildsOnPreseedOnly() {
    // The image-mode ISO reads images, so the image package must not need the iso package.
    noClasses()
        .that()
        .resideInAPackage("org.debvisor.controller.image..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "org.debvisor.controller.iso..",
            "org.debvisor.controller.mirror..",
            "org.debvisor.controller.qemu..",
            "org.debvisor.controller.provision..",
            "org.debvisor.controller.server..")
        .check(classes);
  }

  @Test
  void controllerCoreIsLayered() {
    // pki, inventory and audit are the bottom: they know neither gRPC nor the layers above.
    noClasses()
        .that()
        .resideInAnyPackage(
            "org.debvisor.controller.pki..",
            "org.debvisor.controller.inventory..",
            "org.debvisor.controller.audit..",
            "org.debvisor.controller.fleet..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "org.debvisor.controller.server..",
            "org.debvisor.controller.client..",
            "org.debvisor.controller.cli..",
            "io.grpc..",
            "picocli..")
        .check(classes);
    // The rollout engine sits on inventory, audit and fleet and calls agents; the RPC layer and
    // the CLI sit on it, never the other way round.
    noClasses()
        .that()
        .resideInAPackage("org.debvisor.controller.rollout..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "org.debvisor.controller.server..",
            "org.debvisor.controller.client..",
            "org.debvisor.controller.cli..",
            "picocli..")
        .check(classes);
    // The audit log stands alone: it takes a JDBC connection, whoever owns the transaction.
    noClasses()
        .that()
        .resideInAPackage("org.debvisor.controller.audit..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("org.debvisor.controller.pki..", "org.debvisor.controller.inventory..")
        .check(classes);
    // The server is used by the CLI, never the other way round; the client is for callers.
    noClasses()
        .that()
        .resideInAnyPackage("org.debvisor.controller.server..", "org.debvisor.controller.client..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("org.debvisor.controller.cli..", "picocli..")
        .check(classes);
    noClasses()
        .that()
        .resideInAPackage("org.debvisor.controller.server..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("org.debvisor.controller.client..")
        .check(classes);
  }

  @Test
  void backupWorksOnFilesNotOnTheRunningServer() {
    // Backup and restore read and write a state directory (and its database file) beside or
    // instead of a controller; they never reach into the server, and the lock they share with it
    // (state) depends on nothing of the controller.
    noClasses()
        .that()
        .resideInAPackage("org.debvisor.controller.backup..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "org.debvisor.controller.server..",
            "org.debvisor.controller.client..",
            "org.debvisor.controller.cli..",
            "org.debvisor.controller.rollout..",
            "io.grpc..",
            "picocli..")
        .check(classes);
    classes()
        .that()
        .resideInAPackage("org.debvisor.controller.state..")
        .should()
        .onlyDependOnClassesThat()
        .resideInAnyPackage("java..", "org.debvisor.controller.state..")
        .check(classes);
  }

  @Test
  void theRestApiSitsBesideTheGrpcServer() {
    // The server wires the API and hands it a FleetApi; the API never reaches back into the
    // server, and identity (users, sessions, logins) knows neither of them.
    noClasses()
        .that()
        .resideInAPackage("org.debvisor.controller.rest..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "org.debvisor.controller.server..",
            "org.debvisor.controller.client..",
            "org.debvisor.controller.cli..",
            "picocli..")
        .check(classes);
    noClasses()
        .that()
        .resideInAPackage("org.debvisor.controller.identity..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "org.debvisor.controller.rest..",
            "org.debvisor.controller.server..",
            "org.debvisor.controller.cli..",
            "com.linecorp.armeria..",
            "io.grpc..",
            "picocli..")
        .check(classes);
    // Armeria stays in the API package: one HTTP stack per job.
    noClasses()
        .that()
        .resideOutsideOfPackage("org.debvisor.controller.rest..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("com.linecorp.armeria..")
        .check(classes);
  }

  @Test
  void sqlLivesInTheRepositories() {
    // SQL only in inventory (repositories, Database) and audit (its own table). The server holds
    // a Connection only as the handle of the transaction it passes to them.
    noClasses()
        .that()
        .resideInAnyPackage(
            "org.debvisor.controller.server..",
            "org.debvisor.controller.pki..",
            "org.debvisor.controller.rest..")
        .should()
        .dependOnClassesThat()
        .haveNameMatching(
            "java\\.sql\\.(PreparedStatement|Statement|CallableStatement|ResultSet|DriverManager)"
                + "|org\\.sqlite\\..*|org\\.flywaydb\\..*")
        .check(classes);
  }

  @Test
  void theAgentIsReachedThroughItsContractOnly() {
    // agent-api is the agent's contract; the agent's own classes are an implementation detail.
    noClasses()
        .that()
        .resideInAPackage("org.debvisor.controller..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("org.debvisor.agent..")
        .check(classes);
  }

  // Constants are inlined by javac, so bytecode cannot show a retyped port or path: read the code.
  private static final Pattern AGENT_LITERAL =
      Pattern.compile(
          "\"[^\"]*(/etc/debvisor\\b|/var/lib/debvisor(?!-)|:5000\\b|:9500\\b)|\\b(5000|9500)\\b");

  @Test
  void agentPortsAndPathsComeFromAgentApi() throws IOException {
    List<String> retyped;
    try (Stream<Path> files = Files.walk(Path.of("src/main/java"))) {
      retyped =
          files
              .filter(f -> f.toString().endsWith(".java"))
              .flatMap(ArchitectureTest::codeLines)
              .filter(line -> AGENT_LITERAL.matcher(line).find())
              .toList();
    }
    assertThat(retyped)
        .as("use org.debvisor.agentapi.AgentPorts/AgentPaths instead of these literals")
        .isEmpty();
  }

  /** "file:line: text" of each line that is not a comment. */
  private static Stream<String> codeLines(Path file) {
    try {
      List<String> lines = Files.readAllLines(file);
      return java.util.stream.IntStream.range(0, lines.size())
          .filter(
              i -> {
                String t = lines.get(i).strip();
                return !(t.startsWith("*") || t.startsWith("/*") || t.startsWith("//"));
              })
          .mapToObj(i -> file + ":" + (i + 1) + ": " + lines.get(i).strip());
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** ssh is a plain SSH library; provision builds on it; only the CLI knows the command line. */
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
