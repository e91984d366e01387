package org.debvisor.bench;

import io.grpc.ManagedChannel;
import io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.NettyChannelBuilder;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * The load generator of the mutual-TLS Status rows, in its own JVM so the benchmark can pin it to a
 * CPU of its own: h2load cannot present a client certificate. Sends {@code warmup} then {@code
 * count} Status calls over {@code connections} mTLS connections with {@code streams} calls in
 * flight on each. After the warm-up it prints {@link #WARMED} and waits for a line on stdin, so the
 * caller can read the server's counters and CPU time just before the measured part; then it prints
 * one {@link #RESULT} line with the measured part and its own CPU time. Usage: {@code
 * MtlsStatusGenerator HOST PORT CA CERT KEY CONNECTIONS STREAMS COUNT WARMUP MAX_SECONDS}.
 */
public final class MtlsStatusGenerator {

  static final String RESULT = "RESULT";
  static final String WARMED = "WARMED";

  private MtlsStatusGenerator() {}

  public static void main(String[] args) throws Exception {
    String host = args[0];
    int port = Integer.parseInt(args[1]);
    int connections = Integer.parseInt(args[5]);
    int streams = Integer.parseInt(args[6]);
    long count = Long.parseLong(args[7]);
    long warmup = Long.parseLong(args[8]);
    Duration max = Duration.ofSeconds(Long.parseLong(args[9]));
    List<ManagedChannel> channels = new ArrayList<>();
    try {
      for (int i = 0; i < connections; i++) {
        channels.add(
            NettyChannelBuilder.forAddress(host, port)
                .sslContext(
                    GrpcSslContexts.forClient()
                        .trustManager(Path.of(args[2]).toFile())
                        .keyManager(Path.of(args[3]).toFile(), Path.of(args[4]).toFile())
                        .build())
                .build());
      }
      StatusLoad load = new StatusLoad(channels, host);
      int inFlight = connections * streams;
      LoadResult w = load.closedLoop(inFlight, warmup, max);
      System.out.println(WARMED + " " + w.requests() + " OK, " + w.errors() + " failed");
      System.out.flush();
      if (new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine()
          == null) {
        return;
      }
      long cpu0 = ownCpuNanos();
      LoadResult r = load.closedLoop(inFlight, count, max);
      long cpu = ownCpuNanos() - cpu0;
      System.out.println(line(r, cpu / 1000.0));
    } finally {
      for (ManagedChannel c : channels) {
        c.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
      }
    }
  }

  private static long ownCpuNanos() {
    return ProcessHandle.current().info().totalCpuDuration().orElseThrow().toNanos();
  }

  /** The result line: requests, errors, seconds, p50, p99, p99.9, max (µs), own CPU (µs). */
  static String line(LoadResult r, double generatorCpuMicros) {
    return String.format(
        Locale.ROOT,
        "%s %d %d %.6f %.1f %.1f %.1f %.1f %.1f",
        RESULT,
        r.requests(),
        r.errors(),
        r.seconds(),
        r.p50Micros(),
        r.p99Micros(),
        r.p999Micros(),
        r.maxMicros(),
        generatorCpuMicros);
  }

  /** What one generator run printed. */
  record Outcome(LoadResult result, double generatorCpuMicros) {}

  /** Reads the {@link #RESULT} line back, naming the row; fails when the output has none. */
  static Outcome parse(String output, String scenario, String target) {
    for (String l : output.lines().toList()) {
      if (l.startsWith(RESULT + " ")) {
        String[] f = l.split(" ");
        return new Outcome(
            new LoadResult(
                scenario,
                target,
                Long.parseLong(f[1]),
                Long.parseLong(f[2]),
                Double.parseDouble(f[3]),
                Double.parseDouble(f[4]),
                Double.parseDouble(f[5]),
                Double.parseDouble(f[6]),
                Double.parseDouble(f[7]),
                0),
            Double.parseDouble(f[8]));
      }
    }
    throw new IllegalStateException("the mTLS load generator printed no result:\n" + output);
  }
}
