package org.debvisor.controller.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The default agent package: agent/target of the source tree the command runs from. */
class AgentDebLocatorTest {

  @TempDir Path dir;

  @Test
  void findsThePackageAboveTheRunningJar() throws Exception {
    Path target = Files.createDirectories(dir.resolve("agent/target"));
    Path deb = Files.writeString(target.resolve("debvisor-agent_0.1.0~SNAPSHOT_all.deb"), "x");
    Files.writeString(target.resolve("debvisor-agent-0.1.0-SNAPSHOT-all.jar"), "not a deb");
    Path jar = dir.resolve("controller/target/debvisor-controller-all.jar");

    assertThat(new AgentDebLocator(dir.resolve("elsewhere"), jar).find()).contains(deb);
  }

  @Test
  void theWorkingDirectoryComesFirst() throws Exception {
    Path here = Files.createDirectories(dir.resolve("here/agent/target"));
    Path deb = Files.writeString(here.resolve("debvisor-agent_2_all.deb"), "x");

    assertThat(new AgentDebLocator(dir.resolve("here"), null).find()).contains(deb);
  }

  @Test
  void thePackageShippedBesideTheInstalledJarComesFirst() throws Exception {
    Path share = Files.createDirectories(dir.resolve("usr/share/debvisor-controller"));
    Path shipped = Files.writeString(share.resolve("debvisor-agent_1.0_all.deb"), "deb");
    Path jar = Files.writeString(share.resolve("debvisor-controller.jar"), "jar");
    Path built = Files.createDirectories(dir.resolve("src/agent/target"));
    Files.writeString(built.resolve("debvisor-agent_2.0_all.deb"), "deb");

    assertThat(new AgentDebLocator(dir.resolve("src"), jar).find()).contains(shipped);
  }

  @Test
  void nothingFoundListsWhereItLooked() throws Exception {
    AgentDebLocator locator = new AgentDebLocator(dir, dir.resolve("a/b/c.jar"));

    assertThat(locator.find()).isEmpty();
    assertThat(locator.searched())
        .startsWith(
            dir.resolve("a/b"),
            dir.resolve("agent/target"),
            dir.resolve("a/b/agent/target"),
            dir.resolve("a/agent/target"));
  }

  @Test
  void twoPackagesInOnePlaceAreAnError() throws Exception {
    Path target = Files.createDirectories(dir.resolve("agent/target"));
    Files.writeString(target.resolve("debvisor-agent_1_all.deb"), "x");
    Files.writeString(target.resolve("debvisor-agent_2_all.deb"), "x");

    assertThatThrownBy(() -> new AgentDebLocator(dir, null).find())
        .hasMessageContaining("holds several agent packages")
        .hasMessageContaining("pass the one to use with --agent-deb");
  }
}
