package org.debvisor.bench;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Keeps a load generator and the server it drives on different CPUs (util-linux taskset): the
 * generator gets the last CPU, servers the others, so neither takes the other's time slices.
 */
record CpuPinning(String generatorCpus, String serverCpus) {

  /** The split for this machine; on one CPU there is nothing to split and both share it. */
  static CpuPinning forThisMachine() {
    int cpus = Runtime.getRuntime().availableProcessors();
    if (cpus < 2) {
      return new CpuPinning("0", "0");
    }
    return new CpuPinning(Integer.toString(cpus - 1), cpus == 2 ? "0" : "0-" + (cpus - 2));
  }

  /** The command prefix that starts a program on the generator's CPU. */
  List<String> generatorPrefix() {
    return List.of("taskset", "-c", generatorCpus);
  }

  /**
   * The command that runs {@code mainClass} of the bench's own jar in a small JVM of its own on the
   * generator's CPU, with {@code args}.
   */
  List<String> generatorJava(Class<?> mainClass, List<String> args) throws Exception {
    List<String> cmd = new ArrayList<>(generatorPrefix());
    cmd.addAll(
        List.of(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-XX:+UseSerialGC",
            "-Xmx256m",
            "-cp",
            BenchmarkRunner.ownJar(),
            mainClass.getName()));
    cmd.addAll(args);
    return cmd;
  }

  /** Moves every thread of a running server onto the servers' CPUs (new threads inherit it). */
  void pinServer(Process server) throws Exception {
    Process p =
        new ProcessBuilder("taskset", "-a", "-c", "-p", serverCpus, Long.toString(server.pid()))
            .redirectErrorStream(true)
            .start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new IllegalStateException("taskset could not pin pid " + server.pid() + ": " + out);
    }
  }

  /** How the rows were placed, for the page. */
  String describe() {
    return "generator on CPU " + generatorCpus + ", servers on CPU " + serverCpus;
  }
}
