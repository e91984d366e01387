package org.debvisor.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.HdrHistogram.Histogram;

/**
 * Runs h2load (Debian's nghttp2-client) against one URL and reads its per-request log, so a row has
 * percentiles and per-status counts; h2load itself prints only mean and spread, and counts every
 * answer as a success.
 *
 * @param executable the h2load binary
 * @param threads h2load worker threads (it shares the cores with the server under test)
 * @param timeLimit a run still going after this is killed and refused
 */
record H2load(Path executable, int threads, Duration timeLimit) {

  /**
   * One load: {@code count} requests from {@code clients} connections with {@code streams} in
   * flight on each; POST with {@code body} when it is not null.
   */
  record Load(String url, int clients, int streams, long count, List<String> headers, Path body) {

    Load {
      headers = List.copyOf(headers);
    }
  }

  /**
   * What one run gave: the latencies (microseconds, request start to end of response), the HTTP
   * status of every logged request, requests h2load counted as failed or errored (not logged), and
   * the bytes of DATA frames received (a gRPC error is trailers only: no data).
   */
  record Outcome(
      Histogram latencies,
      Map<Integer, Long> statuses,
      long failed,
      double seconds,
      long dataBytes) {

    long logged() {
      return statuses.values().stream().mapToLong(Long::longValue).sum();
    }

    /** Requests that did not end in {@code expected}, counting those h2load gave up on. */
    long errors(int expected) {
      return logged() - statuses.getOrDefault(expected, 0L) + failed;
    }

    LoadResult result(String scenario, String target, int expected) {
      long ok = statuses.getOrDefault(expected, 0L);
      return LoadResult.of(scenario, target, latencies, ok, errors(expected), seconds);
    }
  }

  private static final Pattern FINISHED = Pattern.compile("finished in ([0-9.]+)(us|ms|s),");
  private static final Pattern DATA = Pattern.compile("\\((\\d+)\\) data");
  private static final Pattern REQUESTS =
      Pattern.compile(
          "requests: (\\d+) total, (\\d+) started, (\\d+) done, (\\d+) succeeded,"
              + " (\\d+) failed, (\\d+) errored, (\\d+) timeout");

  /** The argument list for {@code load}, logging to {@code log}. */
  List<String> command(Load load, Path log) {
    List<String> cmd = new ArrayList<>();
    cmd.add(executable.toString());
    cmd.add("-n" + load.count());
    cmd.add("-c" + load.clients());
    cmd.add("-m" + load.streams());
    cmd.add("-t" + threads);
    cmd.add("--log-file=" + log);
    for (String h : load.headers()) {
      cmd.add("-H");
      cmd.add(h);
    }
    if (load.body() != null) {
      cmd.add("-d");
      cmd.add(load.body().toString());
    }
    cmd.add(load.url());
    return cmd;
  }

  /** Runs {@code load} to its end; the work directory keeps h2load's output and log. */
  Outcome run(Load load, Path work, String name) throws IOException, InterruptedException {
    Path log = work.resolve(name + ".h2load.log");
    Path out = work.resolve(name + ".h2load.out");
    Files.deleteIfExists(log);
    Process p =
        new ProcessBuilder(command(load, log))
            .redirectErrorStream(true)
            .redirectOutput(out.toFile())
            .start();
    if (!p.waitFor(timeLimit.toSeconds(), TimeUnit.SECONDS)) {
      p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      throw new IllegalStateException(
          name
              + ": h2load did not finish "
              + load.count()
              + " requests in "
              + timeLimit
              + "; lower the count or raise the time limit (output: "
              + out
              + ")");
    }
    String printed = Files.readString(out, StandardCharsets.UTF_8);
    if (p.exitValue() != 0 || !Files.isRegularFile(log)) {
      throw new IllegalStateException(
          name + ": h2load exited " + p.exitValue() + " without a log:\n" + printed);
    }
    return parse(Files.readAllLines(log, StandardCharsets.US_ASCII), printed);
  }

  /** Reads h2load's log (start µs, status, µs to the end of the response) and its summary. */
  static Outcome parse(List<String> logLines, String printed) {
    Histogram latencies = new Histogram(3_600_000_000L, 3);
    Map<Integer, Long> statuses = new TreeMap<>();
    for (String line : logLines) {
      if (line.isBlank()) {
        continue;
      }
      String[] f = line.trim().split("\t");
      if (f.length < 3) {
        throw new IllegalArgumentException("not an h2load log line: " + line);
      }
      statuses.merge(Integer.parseInt(f[1]), 1L, Long::sum);
      latencies.recordValue(Math.max(1, Long.parseLong(f[2])));
    }
    Matcher finished = FINISHED.matcher(printed);
    Matcher requests = REQUESTS.matcher(printed);
    Matcher data = DATA.matcher(printed);
    if (!finished.find() || !requests.find() || !data.find()) {
      throw new IllegalArgumentException("no h2load summary in its output:\n" + printed);
    }
    double seconds =
        Double.parseDouble(finished.group(1))
            / switch (finished.group(2)) {
              case "us" -> 1e6;
              case "ms" -> 1e3;
              default -> 1;
            };
    long total = Long.parseLong(requests.group(1));
    long failed = total - logLines.stream().filter(l -> !l.isBlank()).count();
    return new Outcome(
        latencies, statuses, Math.max(0, failed), seconds, Long.parseLong(data.group(1)));
  }
}
