package org.debvisor.bench;

import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code bench/rest-run}: logins and full node lists against a controller's HTTPS API, written to
 * {@code docs/rest-benchmarks.md} with its summary copied into benchmarks.md.
 */
@Command(name = "rest-bench", mixinStandardHelpOptions = true)
public final class RestBenchmark implements Callable<Integer> {

  @Option(names = "--controller-jar", required = true)
  Path controllerJar;

  @Option(names = "--out", defaultValue = "docs/rest-benchmarks.md")
  Path out;

  @Option(names = "--nodes", defaultValue = "1000", description = "Nodes in the inventory.")
  int nodes;

  @Option(names = "--clients", defaultValue = "100", description = "Concurrent clients.")
  int clients;

  @Option(names = "--logins", defaultValue = "1000", description = "Login requests measured.")
  long logins;

  @Option(names = "--lists", defaultValue = "5000", description = "List requests per server.")
  long lists;

  @Option(names = "--warmup-lists", defaultValue = "1000")
  int warmupLists;

  @Option(names = "--h2load", defaultValue = "/usr/bin/h2load")
  Path h2load;

  @Option(names = "--h2load-threads", defaultValue = "1")
  int h2loadThreads;

  @Option(
      names = "--max-seconds",
      defaultValue = "600",
      description = "Time limit of each run; a run still going is killed and the benchmark fails.")
  int maxSeconds;

  @Option(
      names = "--renders",
      defaultValue = "5",
      description = "Loads of the panel's node list in headless Chromium (0: no browser rows).")
  int renders;

  @Option(names = "--controller-heap", defaultValue = "512m")
  String heap;

  @Option(names = "--command", defaultValue = "bench/rest-run")
  String command;

  public static void main(String[] args) {
    System.exit(new CommandLine(new RestBenchmark()).execute(args));
  }

  @Override
  public Integer call() throws Exception {
    Path work = Files.createTempDirectory("debvisor-rest-bench");
    Duration limit = Duration.ofSeconds(maxSeconds);
    RestBench.Outcome outcome =
        new RestBench(
                controllerJar,
                work,
                new RestBench.Settings(
                    nodes,
                    clients,
                    logins,
                    lists,
                    warmupLists,
                    heap,
                    new H2load(h2load, h2loadThreads, limit),
                    limit,
                    renders))
            .run();
    System.out.println(outcome.console());
    String page =
        "# HTTPS API benchmark\n\n"
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
            + "). A real controller process (`debvisor controller serve`, SQLite, `-Xmx"
            + heap
            + "`) with "
            + nodes
            + " nodes enrolled through RegisterNode serves its HTTPS API on loopback; h2load"
            + " (nghttp2-client, "
            + h2loadThreads
            + " thread, HTTP/2 over TLS, one connection and one request at a time per client) is"
            + " the load generator; every request must answer 200 or the run fails. Latency is"
            + " h2load's per-request time from sending to the end of the answer. Each figure"
            + " stands beside a limit measured in the same run:\n\n"
            + "- **login** (`POST /api/v1/session` as the panel does it: Argon2id check, session row"
            + " and audit entry written) beside the controller's own `PasswordHasher` checking the"
            + " same password with the same cost in the benchmark's JVM, first one caller, then"
            + " as many callers as clients queueing on its slots (one per core), as logins in the"
            + " controller do on its login pool (no HTTP, no database); the single login row is"
            + " one client logging in after another;\n"
            + "- **list** (`GET /api/v1/nodes?limit=N` with a session cookie: session lookup and"
            + " role check per request, the answer built once per inventory change or second and"
            + " shared, see [rest-api.md](rest-api.md)) beside a bare Armeria handler in the"
            + " benchmark's JVM answering the same bytes over HTTPS with the controller's"
            + " certificate (TLS, HTTP/2 and the bytes only);\n"
            + "- **first render** of the panel's node list in headless Chromium (Debian's"
            + " `chromium` driven through `chromedriver` over the W3C WebDriver protocol, the"
            + " session cookie set, each load a real navigation): navigation start to the mark the"
            + " page sets once the list's first rows are painted, beside the same load's first"
            + " contentful paint (the panel's static HTML from the same server, before any API"
            + " answer).\n\n"
            + "Scripts using HTTP basic auth pay one Argon2id check per credential and minute (see"
            + " [rest-api.md](rest-api.md)); the list rows use the panel's session cookie.\n\n"
            + "Warm-up: each server gets --warmup-lists requests in two halves, from a tenth of the"
            + " clients, then from all of them (logins likewise, at least one per client);"
            + " warm-up failures are printed, not fatal; every measured request must answer"
            + " 200.\n\n"
            + "The load generator, the controller and the bare server share the machine's cores;"
            + " on a machine shared with other work, compare rows of one run (the ratio), not"
            + " runs.\n\n"
            + OptInSection.START
            + "\n"
            + outcome.summary()
            + OptInSection.END
            + "\n\n"
            + outcome.details();
    Files.createDirectories(out.toAbsolutePath().getParent());
    Files.writeString(out, page, StandardCharsets.UTF_8);
    System.out.println("wrote " + out);
    Path benchmarks = out.toAbsolutePath().getParent().resolve("benchmarks.md");
    if (Files.isRegularFile(benchmarks)) {
      OptInSection.REST.updateIn(benchmarks, OptInSection.IMAGE);
      System.out.println("updated " + benchmarks);
    }
    return 0;
  }
}
