package org.debvisor.bench;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** What the benchmarks read about the processes they start, and the loopback ports they pick. */
final class LocalProcesses {

  private LocalProcesses() {}

  static String loadAverage() throws IOException {
    String[] f = Files.readString(Path.of("/proc/loadavg")).split(" ");
    return f[0] + ", " + f[1] + ", " + f[2];
  }

  /** Heap in use after a full GC, from {@code jcmd GC.run} then {@code GC.heap_info}. */
  static long heapAfterGc(Process process) throws Exception {
    return heapAfterGc(process.pid());
  }

  static long heapAfterGc(long processId) throws Exception {
    Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
    String pid = Long.toString(processId);
    run(jcmd.toString(), pid, "GC.run");
    String info = run(jcmd.toString(), pid, "GC.heap_info");
    long usedKib = 0;
    for (String line : info.lines().toList()) {
      java.util.regex.Matcher m =
          java.util.regex.Pattern.compile("total \\d+K, used (\\d+)K").matcher(line);
      if (m.find()) {
        usedKib += Long.parseLong(m.group(1));
      }
    }
    if (usedKib == 0) {
      throw new IllegalStateException("cannot read the heap from jcmd GC.heap_info:\n" + info);
    }
    return usedKib * 1024;
  }

  private static String run(String... command) throws Exception {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new IllegalStateException(String.join(" ", command) + " failed:\n" + out);
    }
    return out;
  }

  static long cpuTicks(Process process) throws IOException {
    return cpuTicks(process.pid());
  }

  /** User + system CPU time of process {@code pid} in clock ticks (1/100 s). */
  static long cpuTicks(long pid) throws IOException {
    String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
    String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
  }

  static long rssKib(Process process) throws IOException {
    return rssKib(process.pid());
  }

  static long rssKib(long pid) throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
      if (line.startsWith("VmRSS:")) {
        return Long.parseLong(line.replaceAll("\\D", ""));
      }
    }
    return 0;
  }

  /** The process's thread count, from {@code /proc/PID/status}. */
  static int threads(Process process) throws IOException {
    for (String line :
        Files.readAllLines(Path.of("/proc", Long.toString(process.pid()), "status"))) {
      if (line.startsWith("Threads:")) {
        return Integer.parseInt(line.substring(8).strip());
      }
    }
    return 0;
  }

  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }
}
