package org.debvisor.controller.rest;

import com.linecorp.armeria.common.HttpData;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.common.ResponseHeaders;
import com.linecorp.armeria.server.HttpService;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The web panel's static files, read once from the jar into memory and served by exact name. A
 * request names one of the files below or gets a 404: no path is ever resolved against a directory,
 * so {@code ..}, encoded slashes or absolute paths cannot reach anything else.
 */
final class PanelFiles {

  static final String PREFIX = "/panel/";

  /** Every file of the panel; PanelFilesTest checks this matches the resource directory. */
  static final List<String> NAMES =
      List.of(
          "index.html",
          "panel.css",
          "app.js",
          "api.js",
          "dom.js",
          "overview.js",
          "nodes.js",
          "node.js",
          "tokens.js",
          "isos.js",
          "users.js",
          "audit.js",
          "rollouts.js");

  /**
   * Scripts and styles only from this origin, nothing inline, no framing, no plugins: node-reported
   * text that slipped into markup still could not run.
   */
  static final String CONTENT_SECURITY_POLICY =
      "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src"
          + " 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

  private static final String RESOURCES = "/org/debvisor/controller/panel/";

  private final Map<String, HttpData> files;

  private PanelFiles(Map<String, HttpData> files) {
    this.files = files;
  }

  static PanelFiles load() {
    Map<String, HttpData> files = new LinkedHashMap<>();
    for (String name : NAMES) {
      try (InputStream in = PanelFiles.class.getResourceAsStream(RESOURCES + name)) {
        if (in == null) {
          throw new IllegalStateException("the panel file " + name + " is missing from the jar");
        }
        files.put(name, HttpData.wrap(in.readAllBytes()));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return new PanelFiles(Map.copyOf(files));
  }

  /** Serves {@code /panel/<name>}; {@code /panel/} is the index page. */
  HttpService files() {
    return (ctx, req) -> {
      String path = ctx.path();
      String name = path.equals(PREFIX) ? "index.html" : path.substring(PREFIX.length());
      HttpData body = files.get(name);
      if (body == null) {
        return Problems.response(
            ApiProblem.of(404, "the panel has no file " + PREFIX + "<that name>; open " + PREFIX));
      }
      ResponseHeaders headers =
          ResponseHeaders.builder(HttpStatus.OK)
              .contentType(type(name))
              .set("content-security-policy", CONTENT_SECURITY_POLICY)
              .set("x-content-type-options", "nosniff")
              .set("x-frame-options", "DENY")
              .set("referrer-policy", "no-referrer")
              .set("cache-control", "no-cache")
              .build();
      return HttpResponse.of(headers, body);
    };
  }

  /** {@code /} and {@code /panel} lead to the panel. */
  static HttpService redirect() {
    return (ctx, req) ->
        HttpResponse.of(ResponseHeaders.builder(HttpStatus.FOUND).set("location", PREFIX).build());
  }

  private static MediaType type(String name) {
    if (name.endsWith(".html")) {
      return MediaType.HTML_UTF_8;
    }
    if (name.endsWith(".css")) {
      return MediaType.CSS_UTF_8;
    }
    return MediaType.JAVASCRIPT_UTF_8;
  }
}
