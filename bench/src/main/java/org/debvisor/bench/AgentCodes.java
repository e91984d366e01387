package org.debvisor.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The agent's own count of answered calls of one method by gRPC status code, read from its {@code
 * /metrics} (the RPC timer's {@code _count}): h2load sees HTTP 200 for every gRPC answer, errors
 * included, so only the server can say how many were OK.
 */
final class AgentCodes {

  private static final Pattern COUNT =
      Pattern.compile("^debvisor_rpc_request_duration_seconds_count\\{([^}]*)\\} ([0-9.eE+]+)$");
  private static final Pattern CODE = Pattern.compile("code=\"([A-Z_]+)\"");

  private final HttpClient http = HttpClient.newHttpClient();
  private final URI metrics;
  private final String method;

  AgentCodes(int httpPort, String method) {
    this.metrics = URI.create("http://127.0.0.1:" + httpPort + "/metrics");
    this.method = method;
  }

  /** Calls of the method answered so far, by code. */
  Map<String, Long> read() throws Exception {
    HttpResponse<String> r =
        http.send(
            HttpRequest.newBuilder(metrics).timeout(Duration.ofSeconds(30)).build(),
            HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() != 200) {
      throw new IllegalStateException(metrics + " answered " + r.statusCode());
    }
    return parse(r.body(), method);
  }

  static Map<String, Long> parse(String exposition, String method) {
    Map<String, Long> codes = new TreeMap<>();
    for (String line : exposition.lines().toList()) {
      Matcher m = COUNT.matcher(line);
      if (m.matches() && m.group(1).contains("method=\"" + method + "\"")) {
        Matcher code = CODE.matcher(m.group(1));
        if (code.find()) {
          codes.merge(code.group(1), (long) Double.parseDouble(m.group(2)), Long::sum);
        }
      }
    }
    return codes;
  }

  /** What {@code after} counted beyond {@code before}, codes with no new calls left out. */
  static Map<String, Long> delta(Map<String, Long> before, Map<String, Long> after) {
    Map<String, Long> d = new TreeMap<>();
    after.forEach(
        (code, n) -> {
          long more = n - before.getOrDefault(code, 0L);
          if (more != 0) {
            d.put(code, more);
          }
        });
    return d;
  }
}
