package org.debvisor.controller.mirror;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Supplier;

/** Fetches files of a Debian archive over HTTP(S); errors name the URL and status. */
public final class MirrorClient {

  private static final Duration TIMEOUT = Duration.ofSeconds(60);

  private final Supplier<HttpClient> http;
  private final URI base;

  /**
   * @param base the archive root, like {@code http://deb.debian.org/debian}
   */
  public MirrorClient(HttpClient http, URI base) {
    this(() -> http, base);
  }

  private MirrorClient(Supplier<HttpClient> http, URI base) {
    this.http = http;
    String text = base.toString();
    this.base = URI.create(text.endsWith("/") ? text : text + "/");
  }

  /** A client with redirects followed and a 20 s connect timeout. */
  public static MirrorClient create(URI base) {
    return new MirrorClient(new BuiltOnFirstRequest(), base);
  }

  /**
   * The HTTP client, built when the first request is sent: a warm build asks the mirror nothing,
   * and building a client loads the JDK's TLS stack and trust store even for an http:// mirror.
   */
  private static final class BuiltOnFirstRequest implements Supplier<HttpClient> {

    private HttpClient client;

    @Override
    public synchronized HttpClient get() {
      if (client == null) {
        client =
            HttpClient.newBuilder()
                .followRedirects(HttpClient.Redirect.NORMAL)
                .connectTimeout(Duration.ofSeconds(20))
                .build();
      }
      return client;
    }
  }

  public URI base() {
    return base;
  }

  /** The URL of an archive path like {@code dists/trixie/InRelease}. */
  public URI resolve(String archivePath) {
    return base.resolve(archivePath.startsWith("/") ? archivePath.substring(1) : archivePath);
  }

  /** Downloads {@code archivePath} to {@code target}, reporting progress. */
  public void download(String archivePath, Path target, Progress progress)
      throws IsoBuildException {
    URI uri = resolve(archivePath);
    HttpRequest request = HttpRequest.newBuilder(uri).timeout(TIMEOUT).GET().build();
    try {
      HttpResponse<InputStream> response =
          http.get().send(request, HttpResponse.BodyHandlers.ofInputStream());
      try (InputStream in = response.body()) {
        if (response.statusCode() != 200) {
          throw new IsoBuildException("GET " + uri + " answered HTTP " + response.statusCode());
        }
        long total = response.headers().firstValueAsLong("Content-Length").orElse(-1);
        String name = archivePath.substring(archivePath.lastIndexOf('/') + 1);
        try (OutputStream out = Files.newOutputStream(target)) {
          byte[] buf = new byte[1 << 16];
          long done = 0;
          for (int n; (n = in.read(buf)) > 0; ) {
            out.write(buf, 0, n);
            done += n;
            progress.bytes(name, done, total);
          }
          if (total < 0) {
            progress.bytes(name, done, done);
          }
        }
      }
    } catch (IOException e) {
      throw new IsoBuildException("GET " + uri + " failed: " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IsoBuildException("GET " + uri + " interrupted", e);
    }
  }

  /**
   * Downloads {@code archivePath} to {@code target} unless the server says it has not changed since
   * {@code known} (HTTP 304 to If-None-Match/If-Modified-Since).
   *
   * @return the new file's validators, or empty when it has not changed ({@code target} untouched)
   */
  public Optional<HttpValidators> downloadIfChanged(
      String archivePath, Path target, HttpValidators known) throws IsoBuildException {
    URI uri = resolve(archivePath);
    HttpRequest.Builder builder = HttpRequest.newBuilder(uri).timeout(TIMEOUT).GET();
    known.etag().ifPresent(v -> builder.header("If-None-Match", v));
    known.lastModified().ifPresent(v -> builder.header("If-Modified-Since", v));
    try {
      HttpResponse<InputStream> response =
          http.get().send(builder.build(), HttpResponse.BodyHandlers.ofInputStream());
      try (InputStream in = response.body()) {
        if (response.statusCode() == 304) {
          return Optional.empty();
        }
        if (response.statusCode() != 200) {
          throw new IsoBuildException("GET " + uri + " answered HTTP " + response.statusCode());
        }
        Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
        return Optional.of(
            new HttpValidators(
                response.headers().firstValue("ETag"),
                response.headers().firstValue("Last-Modified")));
      }
    } catch (IOException e) {
      throw new IsoBuildException("GET " + uri + " failed: " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IsoBuildException("GET " + uri + " interrupted", e);
    }
  }

  /** The HTTP status of a HEAD request for {@code archivePath}. */
  public int head(String archivePath) throws IsoBuildException {
    URI uri = resolve(archivePath);
    HttpRequest request =
        HttpRequest.newBuilder(uri)
            .timeout(TIMEOUT)
            .method("HEAD", HttpRequest.BodyPublishers.noBody())
            .build();
    try {
      return http.get().send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
    } catch (IOException e) {
      throw new IsoBuildException("HEAD " + uri + " failed: " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IsoBuildException("HEAD " + uri + " interrupted", e);
    }
  }
}
