package org.debvisor.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.debvisor.controller.rest.PanelTiming;

/**
 * The panel's first render in headless Chromium, driven through Debian's chromedriver over the W3C
 * WebDriver protocol (plain JSON over HTTP, so the bench needs no Selenium): navigation start to
 * the node list's first rows painted, read from the mark the page sets after that frame, beside the
 * same load's first contentful paint (the panel's own HTML from the same server: TLS, the static
 * page and the browser, before any API answer).
 */
final class PanelRenderBench {

  static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");

  /** Milliseconds of each load, in order. */
  record Renders(List<Double> nodeList, List<Double> staticPage) {

    static double median(List<Double> values) {
      List<Double> sorted = values.stream().sorted().toList();
      return sorted.get(sorted.size() / 2);
    }

    static String all(List<Double> values) {
      return String.join(
          " ", values.stream().map(v -> String.format(Locale.ROOT, "%.0f", v)).toList());
    }
  }

  private final ObjectMapper json = new ObjectMapper();
  private final HttpClient http = HttpClient.newHttpClient();
  private final Path work;
  private final Duration patience;

  PanelRenderBench(Path work, Duration patience) {
    this.work = work;
    this.patience = patience;
  }

  static boolean available() {
    return Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER);
  }

  /**
   * Loads the panel's node list {@code loads} times with the session {@code cookie} ("name=value")
   * set, each a real navigation (a new query string).
   */
  Renders run(String base, String cookie, int loads) throws Exception {
    int port = LocalProcesses.freePort();
    Process driver =
        new ProcessBuilder(CHROMEDRIVER.toString(), "--port=" + port)
            .redirectErrorStream(true)
            .redirectOutput(work.resolve("chromedriver.log").toFile())
            .start();
    String wd = "http://127.0.0.1:" + port;
    try {
      awaitDriver(wd);
      String session = newSession(wd);
      String s = wd + "/session/" + session;
      try {
        // A cookie can only be set for the site the browser is on.
        navigate(s, base + "/panel/");
        int eq = cookie.indexOf('=');
        ObjectNode c = json.createObjectNode();
        c.put("name", cookie.substring(0, eq));
        c.put("value", cookie.substring(eq + 1));
        c.put("path", "/");
        c.put("secure", true);
        c.put("httpOnly", true);
        ObjectNode body = json.createObjectNode();
        body.set("cookie", c);
        call("POST", s + "/cookie", body);
        List<Double> list = new ArrayList<>();
        List<Double> page = new ArrayList<>();
        for (int i = 0; i < loads; i++) {
          // Both figures of one load: its first paint comes before the list's.
          navigate(s, base + "/panel/?load=" + i + "#/nodes");
          list.add(awaitNumber(s, PanelTiming.NODES_PAINTED, "the node list's painted mark"));
          page.add(
              awaitNumber(s, PanelTiming.FIRST_CONTENTFUL_PAINT, "the first contentful paint"));
        }
        return new Renders(List.copyOf(list), List.copyOf(page));
      } finally {
        call("DELETE", s, null);
      }
    } finally {
      driver.destroy();
      if (!driver.waitFor(10, TimeUnit.SECONDS)) {
        driver.destroyForcibly();
      }
    }
  }

  private void awaitDriver(String wd) throws Exception {
    Instant end = Instant.now().plus(Duration.ofSeconds(30));
    while (true) {
      try {
        if (call("GET", wd + "/status", null).path("ready").asBoolean()) {
          return;
        }
      } catch (IOException notYet) {
        // chromedriver is still starting
      }
      if (Instant.now().isAfter(end)) {
        throw new IllegalStateException(
            "chromedriver did not answer on " + wd + " within 30 s; see its log in " + work);
      }
      Thread.sleep(100);
    }
  }

  private String newSession(String wd) throws Exception {
    ObjectNode options = json.createObjectNode();
    options.put("binary", CHROMIUM.toString());
    var args = options.putArray("args");
    for (String a :
        List.of(
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--window-size=1280,900",
            "--user-data-dir=" + Files.createTempDirectory(work, "chromium"))) {
      args.add(a);
    }
    ObjectNode match = json.createObjectNode();
    match.put("browserName", "chrome");
    // The controller's certificate is signed by its own CA, which this profile does not trust.
    match.put("acceptInsecureCerts", true);
    match.set("goog:chromeOptions", options);
    ObjectNode caps = json.createObjectNode();
    caps.putObject("capabilities").set("alwaysMatch", match);
    return call("POST", wd + "/session", caps).path("sessionId").asText();
  }

  private void navigate(String session, String url) throws Exception {
    ObjectNode body = json.createObjectNode();
    body.put("url", url);
    call("POST", session + "/url", body);
  }

  private double awaitNumber(String session, String entry, String what) throws Exception {
    ObjectNode body = json.createObjectNode();
    body.put("script", PanelTiming.entryStartScript());
    body.putArray("args").add(entry);
    Instant end = Instant.now().plus(patience);
    while (true) {
      JsonNode v = call("POST", session + "/execute/sync", body);
      if (v.isNumber()) {
        return v.asDouble();
      }
      if (Instant.now().isAfter(end)) {
        throw new IllegalStateException(
            what + " did not appear within " + patience.toSeconds() + " s");
      }
      Thread.sleep(20);
    }
  }

  /** The protocol's "value" of the answer; an error answer is thrown with its message. */
  private JsonNode call(String method, String url, JsonNode body) throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(url))
            .timeout(patience)
            .header("content-type", "application/json");
    b.method(
        method,
        body == null
            ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofString(json.writeValueAsString(body)));
    HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    JsonNode value = json.readTree(r.body()).path("value");
    if (r.statusCode() != 200) {
      throw new IllegalStateException(
          "WebDriver " + method + " " + url + " answered " + r.statusCode() + ": " + value);
    }
    return value;
  }
}
