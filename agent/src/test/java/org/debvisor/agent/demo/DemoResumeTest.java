package org.debvisor.agent.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code scripts/demo.sh start} after a crash of part of the demo. When the agent died while the
 * controller and Ceph still run, it keeps both, writes an agent.yaml with the controller: section
 * and keeps the old agent log; when only the controller died, it starts the controller again and
 * leaves the agent and Ceph alone; when nothing died, it changes nothing. The script runs for real;
 * the JVM, the controller, the agent and Ceph are stand-ins (a stub java serving /readyz with
 * Python, sleeping processes for the survivors), so this takes seconds.
 */
class DemoResumeTest {

  @TempDir Path dir;

  private final List<Process> started = new ArrayList<>();

  @AfterEach
  void killStandIns() {
    for (Process p : started) {
      p.destroyForcibly();
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  private static Path script(Path file, String text) throws IOException {
    Files.createDirectories(file.getParent());
    Files.writeString(file, text, StandardCharsets.UTF_8);
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
    return file;
  }

  /** A process that sleeps with {@code marker} on its command line; its pid. */
  private long survivor(String marker) throws IOException {
    Process p = new ProcessBuilder("python3", "-c", "import time; time.sleep(300)", marker).start();
    started.add(p);
    return p.pid();
  }

  private String run(Map<String, String> env, String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of("scripts/demo.sh"));
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder.directory(Path.of("..").toAbsolutePath().normalize().toFile());
    builder.environment().putAll(env);
    Process p = builder.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("demo.sh %s finished", args[0]).isTrue();
    assertThat(p.exitValue()).as(out).isZero();
    return out;
  }

  @Test
  void startAfterTheAgentDiedKeepsTheControllerCephAndTheOldLog() throws Exception {
    Path demo = dir.resolve("demo");
    Path ceph = demo.resolve("ceph");
    int http = freePort();
    int grpc = freePort();
    int controllerPort = freePort();
    // Stand-in JDK: answers jdk.sh's version probe, mints a token, and "runs" the agent by serving
    // /readyz and /metrics from a directory.
    Path www = Files.createDirectories(dir.resolve("www"));
    Files.writeString(www.resolve("readyz"), "ok\n");
    Files.writeString(www.resolve("metrics"), "debvisor_cluster_health{subsystem=\"ceph\"} 0\n");
    Path jdk = dir.resolve("jdk");
    script(jdk.resolve("bin/javac"), "#!/bin/sh\nexit 0\n");
    script(
        jdk.resolve("bin/java"),
        "#!/bin/sh\n"
            + "case \"$*\" in\n"
            + "  *-XshowSettings*) echo '    java.specification.version = 21'; exit 0 ;;\n"
            + "  *'token create'*) echo dvb_stub_token; exit 0 ;;\n"
            + "  *'controller serve'*) echo 'unexpected controller start' >&2; exit 1 ;;\n"
            + "  *--config*) echo 'agent started'; exec python3 -m http.server "
            + http
            + " --bind 127.0.0.1 --directory "
            + www
            + " ;;\n"
            + "esac\n"
            + "exit 1\n");
    Path cephCalls = dir.resolve("ceph-calls.log");
    Path cephScript =
        script(dir.resolve("ceph-micro.sh"), "#!/bin/sh\necho \"$@\" >> " + cephCalls + "\n");
    Path controllerJar = Files.writeString(dir.resolve("controller.jar"), "stand-in");
    Path agentJar = Files.writeString(dir.resolve("agent.jar"), "stand-in");

    // What a crash leaves: the controller and the three Ceph daemons alive, the agent gone.
    Files.createDirectories(ceph.resolve("run"));
    String conf = ceph.resolve("ceph.conf").toString();
    for (String daemon : List.of("mon.a", "mgr.x", "osd.0")) {
      Files.writeString(ceph.resolve("run/ceph-" + daemon + ".pid"), survivor(conf) + "\n");
    }
    Files.writeString(
        demo.resolve("ceph-start.log"),
        "CEPH_CONF=" + conf + "\nCEPH_CLIENT_KEYRING=" + ceph.resolve("client.keyring") + "\n");
    long controllerPid = survivor("controller-stand-in");
    Files.writeString(demo.resolve("controller.pid"), controllerPid + "\n");
    Files.writeString(demo.resolve("agent.pid"), "999999999\n");
    Files.writeString(demo.resolve("agent.log"), "crash-time log\n");
    Files.writeString(demo.resolve("agent.log.1"), "an older run\n");

    Map<String, String> env =
        Map.of(
            "JAVA_HOME", jdk.toString(),
            "DEBVISOR_DEMO_DIR", demo.toString(),
            "DEBVISOR_DEMO_AGENT_JAR", agentJar.toString(),
            "DEBVISOR_DEMO_CONTROLLER_JAR", controllerJar.toString(),
            "DEBVISOR_DEMO_CEPH_SCRIPT", cephScript.toString(),
            "DEBVISOR_DEMO_HTTP_PORT", Integer.toString(http),
            "DEBVISOR_DEMO_GRPC_PORT", Integer.toString(grpc),
            "DEBVISOR_DEMO_CONTROLLER_PORT", Integer.toString(controllerPort));
    try {
      String out = run(env, "start");

      assertThat(out)
          .contains("micro Ceph cluster in " + ceph + " is still running; keeping it")
          .contains("controller is still running (pid " + controllerPid + ")")
          .contains("the agent enrols within seconds");
      assertThat(Files.exists(cephCalls)).as("Ceph was neither stopped nor started").isFalse();
      String yaml = Files.readString(demo.resolve("agent.yaml"));
      assertThat(yaml)
          .contains("controller:\n  address: \"127.0.0.1:" + controllerPort + "\"")
          .contains("tokenFile: " + demo.resolve("bootstrap-token"))
          .contains("confFile: " + conf);
      assertThat(Files.readString(demo.resolve("bootstrap-token")).strip())
          .isEqualTo("dvb_stub_token");
      assertThat(Files.readString(demo.resolve("agent.log.1"))).isEqualTo("crash-time log\n");
      assertThat(Files.readString(demo.resolve("agent.log.2"))).isEqualTo("an older run\n");
      assertThat(Files.readString(demo.resolve("agent.log"))).contains("agent started");
      assertThat(ProcessHandle.of(controllerPid).map(ProcessHandle::isAlive)).contains(true);
    } finally {
      long agentPid = Long.parseLong(Files.readString(demo.resolve("agent.pid")).strip());
      ProcessHandle.of(agentPid).ifPresent(ProcessHandle::destroyForcibly);
    }
  }

  /**
   * What the survivors of a crash of the controller alone look like: the agent (configured with a
   * controller), Ceph's three daemons and the controller's state and log; the controller's pid file
   * names a process that is gone. Returns the environment for demo.sh.
   */
  private Map<String, String> controllerCrashed(Path demo, long agentPid) throws IOException {
    Path ceph = demo.resolve("ceph");
    Files.createDirectories(ceph.resolve("run"));
    String conf = ceph.resolve("ceph.conf").toString();
    for (String daemon : List.of("mon.a", "mgr.x", "osd.0")) {
      Files.writeString(ceph.resolve("run/ceph-" + daemon + ".pid"), survivor(conf) + "\n");
    }
    Files.writeString(
        demo.resolve("ceph-start.log"),
        "CEPH_CONF=" + conf + "\nCEPH_CLIENT_KEYRING=" + ceph.resolve("client.keyring") + "\n");
    Files.writeString(demo.resolve("agent.pid"), agentPid + "\n");
    Files.writeString(demo.resolve("agent.yaml"), "controller:\n  address: \"127.0.0.1:1\"\n");
    Files.writeString(demo.resolve("controller.pid"), "999999999\n");
    Files.writeString(demo.resolve("controller.log"), "crash-time controller log\n");
    Files.writeString(demo.resolve("admin-password"), "kept\n");
    Files.createDirectories(demo.resolve("controller"));
    Files.writeString(demo.resolve("controller/operator-token"), "kept\n");
    // Stand-in JDK: only a controller start is expected; it says it listens, then sleeps.
    Path jdk = dir.resolve("jdk");
    script(jdk.resolve("bin/javac"), "#!/bin/sh\nexit 0\n");
    script(
        jdk.resolve("bin/java"),
        "#!/bin/sh\n"
            + "case \"$*\" in\n"
            + "  *-XshowSettings*) echo '    java.specification.version = 21'; exit 0 ;;\n"
            + "  *'controller serve'*) echo 'controller listening'; exec python3 -c"
            + " 'import time; time.sleep(300)' controller-again ;;\n"
            + "esac\n"
            + "echo \"unexpected java call: $*\" >&2\n"
            + "exit 1\n");
    Path cephScript =
        script(
            dir.resolve("ceph-micro.sh"),
            "#!/bin/sh\necho \"$@\" >> " + dir.resolve("ceph-calls.log") + "\n");
    return Map.of(
        "JAVA_HOME", jdk.toString(),
        "DEBVISOR_DEMO_DIR", demo.toString(),
        "DEBVISOR_DEMO_AGENT_JAR", Files.writeString(dir.resolve("agent.jar"), "-").toString(),
        "DEBVISOR_DEMO_CONTROLLER_JAR",
            Files.writeString(dir.resolve("controller.jar"), "-").toString(),
        "DEBVISOR_DEMO_CEPH_SCRIPT", cephScript.toString(),
        "DEBVISOR_DEMO_HTTP_PORT", Integer.toString(freePort()),
        "DEBVISOR_DEMO_GRPC_PORT", Integer.toString(freePort()),
        "DEBVISOR_DEMO_CONTROLLER_PORT", Integer.toString(freePort()));
  }

  @Test
  void startWhileTheAgentRunsStartsTheControllerThatDiedAndLeavesTheRestAlone() throws Exception {
    Path demo = dir.resolve("demo");
    long agentPid = survivor("agent-stand-in");
    Map<String, String> env = controllerCrashed(demo, agentPid);
    long controllerPid = 0;
    try {
      String out = run(env, "start");
      controllerPid = Long.parseLong(Files.readString(demo.resolve("controller.pid")).strip());

      assertThat(out)
          .contains("micro Ceph cluster in " + demo.resolve("ceph") + " is still running")
          .contains("the controller is not running; starting it again")
          .contains("demo running again: agent pid " + agentPid + " kept; started controller")
          .doesNotContain("already running");
      assertThat(ProcessHandle.of(controllerPid).map(ProcessHandle::isAlive)).contains(true);
      assertThat(ProcessHandle.of(agentPid).map(ProcessHandle::isAlive)).contains(true);
      assertThat(Files.readString(demo.resolve("agent.pid")).strip())
          .isEqualTo(Long.toString(agentPid));
      assertThat(Files.exists(dir.resolve("ceph-calls.log")))
          .as("Ceph was neither stopped nor started")
          .isFalse();
      assertThat(Files.readString(demo.resolve("controller.log.1")))
          .isEqualTo("crash-time controller log\n");
      assertThat(Files.readString(demo.resolve("controller/operator-token"))).isEqualTo("kept\n");
    } finally {
      ProcessHandle.of(controllerPid).ifPresent(ProcessHandle::destroyForcibly);
    }
  }

  @Test
  void startWhileEverythingRunsStartsNothingAndChangesNothing() throws Exception {
    Path demo = dir.resolve("demo");
    long agentPid = survivor("agent-stand-in");
    Map<String, String> env = controllerCrashed(demo, agentPid);
    long controllerPid = survivor("controller-stand-in");
    Files.writeString(demo.resolve("controller.pid"), controllerPid + "\n");
    Map<String, String> before = snapshot(demo);

    String out = run(env, "start");

    assertThat(out)
        .contains("the controller is still running (pid " + controllerPid + "); keeping it")
        .contains("demo already running (agent pid " + agentPid + "); nothing to start");
    assertThat(snapshot(demo)).isEqualTo(before);
    assertThat(Files.exists(dir.resolve("ceph-calls.log"))).isFalse();
  }

  /** Every file under {@code root} with its content. */
  private static Map<String, String> snapshot(Path root) throws IOException {
    Map<String, String> files = new java.util.TreeMap<>();
    try (var all = Files.walk(root)) {
      for (Path p : all.filter(Files::isRegularFile).toList()) {
        files.put(root.relativize(p).toString(), Files.readString(p));
      }
    }
    return files;
  }
}
