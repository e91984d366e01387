package org.debvisor.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.grpc.ManagedChannel;
import io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.NettyChannelBuilder;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * The HTTPS API of a real controller process with {@code nodes} enrolled nodes, driven by h2load:
 * session logins and full node lists, each beside its same-run limit (the Argon2id check alone, and
 * the same JSON bytes from a bare Armeria handler in this JVM).
 */
final class RestBench {

  /** What {@link #run} measured: the console text, the summary table and every row. */
  record Outcome(String console, String summary, String details) {}

  /** How big and long the runs are; all bounded. */
  record Settings(
      int nodes,
      int clients,
      long logins,
      long lists,
      int warmupLists,
      String heap,
      H2load h2load,
      Duration kdfTimeLimit,
      int renders) {}

  private static final int CLOCK_TICKS_PER_SECOND = 100;
  private static final String USER = "bench";
  private static final String LIST_PATH = "/api/v1/nodes";

  private final Path controllerJar;
  private final Path work;
  private final Settings settings;

  RestBench(Path controllerJar, Path work, Settings settings) {
    this.controllerJar = controllerJar;
    this.work = work;
    this.settings = settings;
  }

  Outcome run() throws Exception {
    String loadBefore = LocalProcesses.loadAverage();
    Path state = work.resolve("controller");
    int grpcPort = LocalProcesses.freePort();
    int restPort = LocalProcesses.freePort();
    Process controller =
        ControllerBench.start(
            work.resolve("controller.log"),
            List.of("-XX:+UseSerialGC", "-Xmx" + settings.heap()),
            "-jar",
            controllerJar.toString(),
            "controller",
            "serve",
            "--state-dir",
            state.toString(),
            "--listen",
            "127.0.0.1:" + grpcPort,
            "--rest-listen",
            "127.0.0.1:" + restPort,
            // Enrolment of the inventory comes from one address: not what is measured here.
            "--register-burst",
            "1000000",
            "--register-rate",
            "1000000");
    List<ManagedChannel> open = new ArrayList<>();
    try {
      Path ca = state.resolve("pki/ca.pem");
      var operator =
          ControllerBench.awaitOperator(state, grpcPort, controller, open, Duration.ofMinutes(3));
      enrol(operator, grpcPort, ca, open);
      String password = addUser(state);
      HttpClient http = client(ca);
      String base = "https://127.0.0.1:" + restPort;
      String cookie = login(http, base, password);
      String listQuery = LIST_PATH + "?limit=" + settings.nodes();
      byte[] json = fetchList(http, base + listQuery, cookie);

      List<LoadResult> login = new ArrayList<>();
      List<LoadResult> list = new ArrayList<>();
      try (BareJsonServer bare =
          new BareJsonServer(
              LIST_PATH, json, state.resolve("pki/server.pem"), state.resolve("pki/server.key"))) {
        String bareUrl = "https://127.0.0.1:" + bare.port() + listQuery;
        String ourUrl = base + listQuery;
        List<String> withCookie = List.of("cookie: " + cookie);
        // Warm both servers (JIT, connections, caches) before measuring either.
        warmUp(bareUrl, withCookie, null, "warmup-bare", settings.warmupLists());
        warmUp(ourUrl, withCookie, null, "warmup-list", settings.warmupLists());
        Path body = loginBody(password);
        List<String> json1 = List.of("content-type: application/json");
        warmUp(base + "/api/v1/session", json1, body, "warmup-login", 20);

        String listScenario =
            "GET " + settings.nodes() + " nodes, " + settings.clients() + " clients";
        list.add(
            h2(bareUrl, settings.lists(), withCookie, null, "list-bare", 200)
                .result(listScenario, "limit (bare Armeria handler, same bytes)", 200));
        list.add(
            cpu(
                controller,
                () ->
                    h2(ourUrl, settings.lists(), withCookie, null, "list", 200)
                        .result(listScenario, "controller (session cookie)", 200)));

        KdfLimit kdf = new KdfLimit();
        long kdfChecks = Math.max(20, settings.logins() / 4);
        login.add(kdf.run("Argon2id " + kdf.cost() + ", 1 caller", 1, kdfChecks, limit()));
        login.add(
            cpu(
                controller,
                () ->
                    h2(base + "/api/v1/session", 1, kdfChecks, json1, body, "login-single", 200)
                        .result("POST /api/v1/session, 1 client", "controller", 200)));
        login.add(
            kdf.run(
                "Argon2id "
                    + kdf.cost()
                    + ", "
                    + settings.clients()
                    + " callers on the controller's "
                    + kdf.slots()
                    + " slots (one per core)",
                settings.clients(),
                settings.logins(),
                limit()));
        String loginScenario = "POST /api/v1/session, " + settings.clients() + " clients";
        login.add(
            cpu(
                controller,
                () ->
                    h2(base + "/api/v1/session", settings.logins(), json1, body, "login", 200)
                        .result(loginScenario, "controller", 200)));
      }
      PanelRenderBench.Renders renders = null;
      if (settings.renders() > 0) {
        if (!PanelRenderBench.available()) {
          throw new IllegalStateException(
              "the browser rows need Debian's chromium and chromium-driver (bench/rest-run installs"
                  + " them); or leave them out with --renders 0");
        }
        renders =
            new PanelRenderBench(work, Duration.ofSeconds(60))
                .run(base, cookie, settings.renders());
      }
      long rss = LocalProcesses.rssKib(controller);
      String loadAfter = LocalProcesses.loadAverage();
      String loginTable = BenchmarkRunner.table(login);
      String listTable = BenchmarkRunner.table(list);
      String facts =
          String.format(
              Locale.ROOT,
              "%d nodes in the inventory, list answer %d bytes; controller RSS after the runs %d"
                  + " MiB (-Xmx%s); load average (1, 5, 15 min) before / after: %s / %s on %d"
                  + " CPUs",
              settings.nodes(),
              json.length,
              rss / 1024,
              settings.heap(),
              loadBefore,
              loadAfter,
              Runtime.getRuntime().availableProcessors());
      String browser = renders == null ? "" : browserTable(renders);
      return new Outcome(
          loginTable + "\n" + listTable + "\n" + browser + "\n" + facts + "\n",
          summary(login, list, facts) + (browser.isEmpty() ? "" : "\n" + browser),
          "Login rows:\n\n" + loginTable + "\nList rows:\n\n" + listTable);
    } finally {
      for (ManagedChannel c : open) {
        c.shutdownNow();
      }
      controller.destroy();
      controller.waitFor(30, TimeUnit.SECONDS);
    }
  }

  private Duration limit() {
    return settings.kdfTimeLimit();
  }

  private H2load.Outcome h2(
      String url, long count, List<String> headers, Path body, String name, int expected)
      throws Exception {
    return h2(url, settings.clients(), count, headers, body, name, expected);
  }

  /**
   * Warm-up in two steps, each bounded by its count and --max-seconds: a tenth of the clients first
   * (JIT, TLS sessions, the list answer built once), then all of them. Warm-up requests that fail
   * or time out are reported, not fatal: only the measured runs must all answer 200.
   */
  private void warmUp(String url, List<String> headers, Path body, String name, long count)
      throws Exception {
    int few = Math.max(1, settings.clients() / 10);
    int[] clients = {few, settings.clients()};
    for (int step = 0; step < clients.length; step++) {
      // h2load needs at least one request per client.
      long n = Math.max(clients[step], count / 2);
      H2load.Outcome o =
          settings
              .h2load()
              .run(
                  new H2load.Load(url, clients[step], 1, n, headers, body),
                  work,
                  name + "-" + (step + 1));
      long errors = o.errors(200);
      System.out.printf(
          Locale.ROOT,
          "%s step %d: %d requests from %d clients in %.1f s, %d not 200 (%s)%n",
          name,
          step + 1,
          n,
          clients[step],
          o.seconds(),
          errors,
          o.statuses());
    }
  }

  private H2load.Outcome h2(
      String url,
      int clients,
      long count,
      List<String> headers,
      Path body,
      String name,
      int expected)
      throws Exception {
    H2load.Outcome o =
        settings.h2load().run(new H2load.Load(url, clients, 1, count, headers, body), work, name);
    if (o.errors(expected) > 0) {
      throw new IllegalStateException(
          name
              + ": "
              + o.errors(expected)
              + " of "
              + count
              + " requests did not answer "
              + expected
              + " (statuses "
              + o.statuses()
              + ", not logged "
              + o.failed()
              + "); see "
              + work.resolve(name + ".h2load.out")
              + " and the controller log beside it");
    }
    return o;
  }

  private void enrol(
      org.debvisor.proto.ControllerGrpc.ControllerFutureStub operator,
      int port,
      Path ca,
      List<ManagedChannel> open)
      throws Exception {
    List<String> tokens = ControllerBench.createTokens(operator, settings.nodes());
    List<EnrolmentRequests.Prepared> requests = EnrolmentRequests.prepare("rest-node-", tokens);
    List<ManagedChannel> channels = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      ManagedChannel c =
          NettyChannelBuilder.forAddress("127.0.0.1", port)
              .sslContext(GrpcSslContexts.forClient().trustManager(ca.toFile()).build())
              .build();
      channels.add(c);
      open.add(c);
    }
    RegisterLoad load = new RegisterLoad(channels, requests, "controller");
    load.closedLoop(32, Duration.ofMinutes(10), settings.nodes());
    if (load.enrolled().size() != settings.nodes()) {
      throw new IllegalStateException(
          "only " + load.enrolled().size() + " of " + settings.nodes() + " nodes enrolled");
    }
  }

  /** A viewer (the least role that lists nodes) with a random password, via the real CLI. */
  private String addUser(Path state) throws Exception {
    byte[] random = new byte[18];
    new SecureRandom().nextBytes(random);
    String password = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
    Path file = work.resolve("bench-password");
    Files.writeString(file, password + "\n", StandardCharsets.UTF_8);
    Process p =
        ControllerBench.start(
            work.resolve("user-add.log"),
            List.of("-XX:+UseSerialGC", "-Xmx128m"),
            "-jar",
            controllerJar.toString(),
            "user",
            "add",
            USER,
            "--role",
            "viewer",
            "--password-file",
            file.toString(),
            "--state-dir",
            state.toString());
    if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
      p.destroyForcibly();
      throw new IllegalStateException(
          "debvisor user add failed: " + Files.readString(work.resolve("user-add.log")));
    }
    return password;
  }

  private Path loginBody(String password) throws Exception {
    String body =
        new ObjectMapper()
            .createObjectNode()
            .put("user", USER)
            .put("password", password)
            .toString();
    return Files.writeString(work.resolve("login.json"), body, StandardCharsets.UTF_8);
  }

  /** Logs in once; the session cookie ({@code name=value}) every list request carries. */
  private String login(HttpClient http, String base, String password) throws Exception {
    HttpResponse<String> r =
        http.send(
            HttpRequest.newBuilder(URI.create(base + "/api/v1/session"))
                .header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofFile(loginBody(password)))
                .timeout(Duration.ofSeconds(60))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    String setCookie = r.headers().firstValue("set-cookie").orElse("");
    if (r.statusCode() != 200 || setCookie.isEmpty()) {
      throw new IllegalStateException("login answered " + r.statusCode() + ": " + r.body());
    }
    return setCookie.substring(0, setCookie.indexOf(';'));
  }

  /** The controller's own answer, checked to hold every node: the bytes the bare handler serves. */
  private byte[] fetchList(HttpClient http, String url, String cookie) throws Exception {
    HttpResponse<byte[]> r =
        http.send(
            HttpRequest.newBuilder(URI.create(url))
                .header("cookie", cookie)
                .timeout(Duration.ofSeconds(60))
                .build(),
            HttpResponse.BodyHandlers.ofByteArray());
    if (r.statusCode() != 200) {
      throw new IllegalStateException(
          "the node list answered "
              + r.statusCode()
              + ": "
              + new String(r.body(), StandardCharsets.UTF_8));
    }
    JsonNode page = new ObjectMapper().readTree(r.body());
    if (page.path("nodes").size() != settings.nodes()) {
      throw new IllegalStateException(
          "the node list holds " + page.path("nodes").size() + " nodes, not " + settings.nodes());
    }
    return r.body();
  }

  private static HttpClient client(Path ca) throws Exception {
    KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
    trust.load(null, null);
    try (InputStream in = Files.newInputStream(ca)) {
      trust.setCertificateEntry(
          "ca", CertificateFactory.getInstance("X.509").generateCertificate(in));
    }
    TrustManagerFactory tmf =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(trust);
    SSLContext tls = SSLContext.getInstance("TLS");
    tls.init(null, tmf.getTrustManagers(), null);
    return HttpClient.newBuilder().sslContext(tls).connectTimeout(Duration.ofSeconds(10)).build();
  }

  private interface Measured {
    LoadResult run() throws Exception;
  }

  private static LoadResult cpu(Process server, Measured m) throws Exception {
    long before = LocalProcesses.cpuTicks(server);
    LoadResult r = m.run();
    return r.withServerCpu(
        (LocalProcesses.cpuTicks(server) - before) * 1e6 / CLOCK_TICKS_PER_SECOND);
  }

  private String summary(List<LoadResult> login, List<LoadResult> list, String facts) {
    LoadResult kdfOne = login.get(0);
    LoadResult single = login.get(1);
    LoadResult kdfQueued = login.get(2);
    LoadResult ours = login.get(3);
    LoadResult bare = list.get(0);
    LoadResult listed = list.get(1);
    int slots = Runtime.getRuntime().availableProcessors();
    int clients = settings.clients();
    // Cores for a p99 under 200 ms when every client logs in at once: all checks in one round.
    double coresFor200 = clients * ms(kdfOne.p50Micros()) / 200;
    return String.format(
            Locale.ROOT,
            "| row | p50 ms | p99 ms | p99.9 ms | per s | target |%n"
                + "|---|---:|---:|---:|---:|---|%n")
        + row("limit: one Argon2id check alone, 1 caller", kdfOne, "—")
        + row("login (`POST /api/v1/session`), 1 client", single, "—")
        + row(
            "limit: Argon2id checks alone, " + clients + " callers, " + slots + " slots",
            kdfQueued,
            "—")
        + row("login (`POST /api/v1/session`), " + clients + " clients", ours, "p99 < 200")
        + row("limit: same JSON from a bare Armeria handler, " + clients + " clients", bare, "—")
        + row(
            "list " + settings.nodes() + " nodes (`GET /api/v1/nodes`), " + clients + " clients",
            listed,
            "p99 < 50")
        + String.format(
            Locale.ROOT,
            "%n- login p99 = %.2f × the queued KDF's p99 of the same run; with %d clients on %d"
                + " slots a login waits for about %d checks of %.0f ms (p50 of one alone) before"
                + " its own. A p99 under 200 ms for %d simultaneous logins needs them all checked"
                + " in one round: about %d × %.0f ms / 200 ms = %.0f cores at this KDF cost.%n"
                + "- list p99 = %.2f × the bare handler's p99 of the same run.%n"
                + "%n%s.%n",
            ours.p99Micros() / kdfQueued.p99Micros(),
            clients,
            slots,
            clients / slots,
            ms(kdfOne.p50Micros()),
            clients,
            clients,
            ms(kdfOne.p50Micros()),
            coresFor200,
            listed.p99Micros() / bare.p99Micros(),
            facts);
  }

  private String browserTable(PanelRenderBench.Renders r) {
    double list = PanelRenderBench.Renders.median(r.nodeList());
    double paint = PanelRenderBench.Renders.median(r.staticPage());
    return String.format(
        Locale.ROOT,
        "| headless Chromium, median of %d loads | ms | all loads | target |%n"
            + "|---|---:|---|---|%n"
            + "| limit: the same load's first contentful paint (the panel's HTML, no API answer"
            + " yet) | %.0f | %s | — |%n"
            + "| first render: navigation start → the node list's first %d rows painted (%d nodes)"
            + " | %.0f | %s | < 1000 |%n"
            + "%n- first render = %.2f × the first paint of the same loads.%n",
        r.nodeList().size(),
        paint,
        PanelRenderBench.Renders.all(r.staticPage()),
        Math.min(200, settings.nodes()),
        settings.nodes(),
        list,
        PanelRenderBench.Renders.all(r.nodeList()),
        list / paint);
  }

  private static String row(String name, LoadResult r, String target) {
    return String.format(
        Locale.ROOT,
        "| %s | %.1f | %.1f | %.1f | %.0f | %s |%n",
        name,
        ms(r.p50Micros()),
        ms(r.p99Micros()),
        ms(r.p999Micros()),
        r.qps(),
        target);
  }

  private static double ms(double micros) {
    return micros / 1000;
  }
}
