package org.debvisor.agent.collect.kubernetes;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.SSLContext;
import org.debvisor.common.error.Causes;

/**
 * The few apiserver reads the agent needs, over the JDK's HTTP client. Every request gets what is
 * left of the collection's {@link Deadline}, so one collection never outlives its budget.
 */
final class ApiServerClient implements AutoCloseable {

  private static final int PAGE_SIZE = 500;
  // 200 pages of 500 is far beyond any cluster; the bound only stops a looping continue token.
  private static final int MAX_PAGES = 200;
  private static final int MAX_MESSAGE_CHARS = 2000;

  private final String server;
  private final HttpClient http;
  private final String token;
  private final ObjectMapper json = new ObjectMapper();

  ApiServerClient(Kubeconfig config, Duration connectTimeout) throws KubeconfigException {
    this.server = stripTrailingSlash(config.cluster().server().toString());
    this.token = config.user().token();
    HttpClient.Builder builder =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(connectTimeout)
            .followRedirects(HttpClient.Redirect.NEVER);
    if ("https".equals(config.cluster().server().getScheme())) {
      SSLContext context = KubeTls.context(config);
      builder.sslContext(context);
    }
    this.http = builder.build();
  }

  /** The answer of /readyz. */
  record Readyz(boolean ready, String message) {}

  /** Counts from the node list. */
  record NodeCounts(int total, int ready) {}

  Readyz readyz(Deadline deadline) throws ApiServerException {
    HttpResponse<String> response = get("/readyz", deadline);
    if (response.statusCode() == 200) {
      return new Readyz(true, "");
    }
    rejectAuthFailure(response, "/readyz");
    String body = trim(response.body());
    return new Readyz(false, body.isEmpty() ? "HTTP " + response.statusCode() : body);
  }

  /** The node object, or empty when no node of that name is registered. */
  Optional<JsonNode> node(String name, Deadline deadline) throws ApiServerException {
    String path = "/api/v1/nodes/" + URLEncoder.encode(name, StandardCharsets.UTF_8);
    HttpResponse<String> response = get(path, deadline);
    if (response.statusCode() == 404) {
      return Optional.empty();
    }
    return Optional.of(parseOk(response, path));
  }

  NodeCounts nodeCounts(Deadline deadline) throws ApiServerException {
    int total = 0;
    int ready = 0;
    String continueToken = "";
    for (int page = 0; page < MAX_PAGES; page++) {
      String path = "/api/v1/nodes?limit=" + PAGE_SIZE;
      if (!continueToken.isEmpty()) {
        path += "&continue=" + URLEncoder.encode(continueToken, StandardCharsets.UTF_8);
      }
      JsonNode list = parseOk(get(path, deadline), path);
      for (JsonNode node : list.path("items")) {
        total++;
        if (NodeReading.isReady(node)) {
          ready++;
        }
      }
      continueToken = list.path("metadata").path("continue").asText("");
      if (continueToken.isEmpty()) {
        return new NodeCounts(total, ready);
      }
    }
    throw new ApiServerException(
        "apiserver " + server + " kept paging the node list beyond " + MAX_PAGES + " pages");
  }

  private JsonNode parseOk(HttpResponse<String> response, String path) throws ApiServerException {
    rejectAuthFailure(response, path);
    if (response.statusCode() != 200) {
      throw new ApiServerException(
          "apiserver "
              + server
              + " answered GET "
              + path
              + " with HTTP "
              + response.statusCode()
              + ": "
              + statusMessage(response.body()));
    }
    try {
      return json.readTree(response.body());
    } catch (IOException e) {
      throw new ApiServerException(
          "apiserver " + server + " answered GET " + path + " with invalid JSON", e);
    }
  }

  private void rejectAuthFailure(HttpResponse<String> response, String path)
      throws ApiServerException {
    int status = response.statusCode();
    if (status == 401 || status == 403) {
      throw new ApiServerException(
          "apiserver "
              + server
              + " refused the agent's kubeconfig credentials for GET "
              + path
              + " (HTTP "
              + status
              + "): "
              + statusMessage(response.body()));
    }
  }

  // Errors come as a Kubernetes Status object; its message is the useful part.
  private String statusMessage(String body) {
    try {
      JsonNode status = json.readTree(body);
      if (status != null && status.hasNonNull("message")) {
        return trim(status.get("message").asText());
      }
    } catch (IOException e) {
      // not JSON: fall through to the raw body
    }
    return trim(body);
  }

  private HttpResponse<String> get(String path, Deadline deadline) throws ApiServerException {
    Duration remaining = deadline.remaining();
    if (remaining.isZero()) {
      throw timeout(deadline, path);
    }
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(server + path))
            .timeout(remaining)
            .header("Accept", "application/json")
            .GET();
    if (!token.isEmpty()) {
      request.header("Authorization", "Bearer " + token);
    }
    CompletableFuture<HttpResponse<String>> future =
        http.sendAsync(request.build(), HttpResponse.BodyHandlers.ofString());
    try {
      // The request timeout stops waiting for headers only; this bounds the body too.
      return future.get(remaining.toNanos(), TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      future.cancel(true);
      throw timeout(deadline, path);
    } catch (InterruptedException e) {
      future.cancel(true);
      Thread.currentThread().interrupt();
      throw new ApiServerException("interrupted while waiting for apiserver " + server, e);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof HttpTimeoutException) {
        throw timeout(deadline, path);
      }
      throw new ApiServerException(
          "cannot reach apiserver " + server + ": " + describe(cause), cause);
    }
  }

  private ApiServerException timeout(Deadline deadline, String path) {
    return new ApiServerException(
        "apiserver "
            + server
            + " did not answer within "
            + deadline.describe()
            + " (GET "
            + path
            + ")");
  }

  private static String describe(Throwable failure) {
    StringBuilder text = new StringBuilder();
    for (Throwable t : Causes.chain(failure)) {
      String message = t.getMessage();
      if (t instanceof ConnectException && (message == null || message.isBlank())) {
        message = "connection refused";
      }
      if (message != null && !message.isBlank() && text.indexOf(message) < 0) {
        if (!text.isEmpty()) {
          text.append(": ");
        }
        text.append(message);
      }
    }
    return text.isEmpty() ? failure.getClass().getSimpleName() : text.toString();
  }

  private static String trim(String text) {
    String stripped = text == null ? "" : text.strip();
    return stripped.length() <= MAX_MESSAGE_CHARS
        ? stripped
        : stripped.substring(0, MAX_MESSAGE_CHARS) + "…";
  }

  private static String stripTrailingSlash(String url) {
    return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
  }

  /** Aborts anything still in flight; a hung apiserver must not hold the agent's threads. */
  @Override
  public void close() {
    http.shutdownNow();
  }
}
