package org.debvisor.agent.collect.hypervisor;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalDaemonProbeTest {

  @TempDir Path runDir;

  @Test
  void systemUriNeedsASocketInTheRunDirectory() throws Exception {
    LocalDaemonProbe probe = new LocalDaemonProbe(runDir);
    assertThat(probe.missingDaemon("qemu:///system")).get().asString().contains(runDir.toString());
    assertThat(probe.missingDaemon("qemu+unix:///system")).isPresent();

    Files.createFile(runDir.resolve("libvirt-sock-ro"));
    assertThat(probe.missingDaemon("qemu:///system")).isEmpty();
  }

  @Test
  void modularDaemonSocketCountsToo() throws Exception {
    Files.createFile(runDir.resolve("virtqemud-sock"));
    assertThat(new LocalDaemonProbe(runDir).missingDaemon("qemu:///system")).isEmpty();
  }

  @Test
  void explicitSocketParameterIsChecked() throws Exception {
    LocalDaemonProbe probe = new LocalDaemonProbe(runDir);
    Path socket = runDir.resolve("custom sock");
    String uri = "qemu+unix:///system?socket=" + socket.toString().replace(" ", "%20");
    assertThat(probe.missingDaemon(uri)).get().asString().contains(socket.toString());

    Files.createFile(socket);
    assertThat(probe.missingDaemon(uri)).isEmpty();
  }

  @Test
  void remoteSessionAndOtherDriversAreNotProbed() {
    LocalDaemonProbe probe = new LocalDaemonProbe(runDir);
    assertThat(probe.missingDaemon("qemu+ssh://root@host.example/system")).isEmpty();
    assertThat(probe.missingDaemon("qemu+tls://host.example/system")).isEmpty();
    assertThat(probe.missingDaemon("qemu:///session")).isEmpty();
    assertThat(probe.missingDaemon("test:///default")).isEmpty();
    assertThat(probe.missingDaemon("not a uri")).isEmpty();
  }
}
