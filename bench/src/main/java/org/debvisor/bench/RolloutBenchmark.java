package org.debvisor.bench;

import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code bench/rollout-run}: a rollout and its rollback across simulated agents, written to {@code
 * docs/rollout-benchmarks.md} (whose summary {@code bench/run} copies into benchmarks.md).
 */
@Command(name = "rollout-bench", mixinStandardHelpOptions = true)
public final class RolloutBenchmark implements Callable<Integer> {

  @Option(names = "--controller-jar", required = true)
  Path controllerJar;

  @Option(names = "--out", defaultValue = "docs/rollout-benchmarks.md")
  Path out;

  @Option(names = "--agents", defaultValue = "1000")
  int agents;

  @Option(names = "--canary", defaultValue = "1")
  int canary;

  @Option(names = "--waves", split = ",", defaultValue = "10,50,100")
  List<Integer> waves;

  @Option(names = "--max-unavailable", defaultValue = "100")
  int maxUnavailable;

  @Option(names = "--gate-seconds", defaultValue = "5")
  int gateSeconds;

  @Option(names = "--controller-heap", defaultValue = "512m")
  String heap;

  @Option(names = "--command", defaultValue = "bench/rollout-run")
  String command;

  public static void main(String[] args) {
    System.exit(new CommandLine(new RolloutBenchmark()).execute(args));
  }

  @Override
  public Integer call() throws Exception {
    Path work = Files.createTempDirectory("debvisor-rollout-bench");
    RolloutBench.Outcome outcome =
        new RolloutBench(
                controllerJar,
                work,
                agents,
                canary,
                waves,
                maxUnavailable,
                Duration.ofSeconds(gateSeconds),
                heap)
            .run();
    System.out.println(outcome.console());
    String page =
        "# Fleet rollout benchmark\n\n"
            + "Produced by `"
            + command
            + "` on "
            + LocalDate.now()
            + " ("
            + Runtime.getRuntime().availableProcessors()
            + " cores, host "
            + InetAddress.getLocalHost().getHostName()
            + ", Java "
            + System.getProperty("java.version")
            + "). A real controller process (`debvisor controller serve`, SQLite) rolls one"
            + " one-file bundle out to simulated agents (`debvisor-sim`, every agent its own"
            + " mutual-TLS gRPC server on loopback, in the benchmark's JVM), then rolls it back."
            + " The limit is measured in the same run: the rollout's gate windows, which it must"
            + " wait, plus the same number of bare `UpdateConfig` calls at the same concurrency"
            + " with the controller's own client code and certificate.\n\n"
            + OptInSection.START
            + "\n"
            + outcome.markdown()
            + OptInSection.END
            + "\n";
    Files.createDirectories(out.toAbsolutePath().getParent());
    Files.writeString(out, page, StandardCharsets.UTF_8);
    System.out.println("wrote " + out);
    return 0;
  }
}
