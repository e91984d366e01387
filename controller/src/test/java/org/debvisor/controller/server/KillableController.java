package org.debvisor.controller.server;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.debvisor.controller.client.ControllerConnection;

/**
 * {@code debvisor controller serve} as its own JVM (this test's classpath, the same main class as
 * the jar), for tests that SIGKILL it: no shutdown hook runs, as after a power cut or an OOM kill.
 */
public final class KillableController implements AutoCloseable {

  /** A new JVM took more than a minute to listen while other builds loaded the 2-core machine. */
  private static final Duration START_WAIT = Duration.ofSeconds(180);

  private static final List<String> TEST_JVM =
      List.of("-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xmx256m");

  public final Path stateDir;
  public final int port;
  private final Path log;
  private final Process process;

  private KillableController(Path stateDir, int port, Path log, Process process) {
    this.stateDir = stateDir;
    this.port = port;
    this.log = log;
    this.process = process;
  }

  /**
   * Starts {@code controller serve --state-dir stateDir --listen 127.0.0.1:port} with {@code
   * options} added (no HTTPS API) and waits until it accepts connections.
   */
  public static KillableController start(Path stateDir, int port, List<String> options)
      throws IOException, InterruptedException {
    return start(stateDir, port, TEST_JVM, options);
  }

  /**
   * As above with the JVM options {@code jvm} instead of the tests' small C1-only heap (the
   * benchmarks measure a controller as it is deployed).
   */
  public static KillableController start(
      Path stateDir, int port, List<String> jvm, List<String> options)
      throws IOException, InterruptedException {
    Files.createDirectories(stateDir);
    Path log = stateDir.resolveSibling(stateDir.getFileName() + ".log");
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(jvm);
    command.addAll(
        List.of(
            "-cp",
            System.getProperty("java.class.path"),
            "org.debvisor.controller.DebvisorMain",
            "controller",
            "serve",
            "--state-dir",
            stateDir.toString(),
            "--listen",
            "127.0.0.1:" + port,
            "--rest-listen",
            "off"));
    command.addAll(options);
    Process process =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
            .start();
    KillableController started = new KillableController(stateDir, port, log, process);
    long deadline = System.nanoTime() + START_WAIT.toNanos();
    while (!started.accepting()) {
      if (!process.isAlive() || System.nanoTime() > deadline) {
        process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        throw new AssertionError(
            "controller process did not listen on "
                + port
                + " (alive: "
                + process.isAlive()
                + "); its log:\n"
                + started.log());
      }
      Thread.sleep(50);
    }
    return started;
  }

  public static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  /**
   * Listening, and by this process: it printed so (another program may have taken the free port
   * since it was chosen, and would answer a bare connection attempt).
   */
  private boolean accepting() {
    if (!log().contains("controller listening on 127.0.0.1:" + port)) {
      return false;
    }
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress("127.0.0.1", port), 500);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  public String target() {
    return "127.0.0.1:" + port;
  }

  /** An operator connection with this controller's token and CA. */
  public ControllerConnection operator() throws IOException {
    return ControllerConnection.open(
        target(),
        stateDir.resolve("pki/ca.pem"),
        Files.readString(stateDir.resolve("operator-token"), StandardCharsets.UTF_8).strip());
  }

  /** A connection without credentials, as an enrolling agent has. */
  public ControllerConnection anonymous() throws IOException {
    return ControllerConnection.open(target(), stateDir.resolve("pki/ca.pem"), null);
  }

  /** The process id, for reading its CPU time and memory. */
  public long pid() {
    return process.pid();
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  /** SIGKILL, and wait until the process is gone. */
  public void kill() throws InterruptedException {
    process.destroyForcibly();
    if (!process.waitFor(30, TimeUnit.SECONDS)) {
      throw new AssertionError("the controller process did not die within 30 s");
    }
  }

  public String log() {
    try {
      return Files.readString(log, StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "(no log: " + e.getMessage() + ")";
    }
  }

  @Override
  public void close() throws InterruptedException {
    if (process.isAlive()) {
      kill();
    }
  }
}
