package org.debvisor.controller.rest;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.linecorp.armeria.common.HttpMethod;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.common.util.TimeoutMode;
import com.linecorp.armeria.server.file.HttpFile;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.debvisor.controller.identity.Role;
import org.debvisor.controller.isolibrary.IsoLibrary;
import org.debvisor.controller.mirror.IsoBuildException;
import org.debvisor.controller.node.Architecture;
import org.debvisor.controller.node.InvalidInputException;

/**
 * {@code /api/v1/isos}: installer ISOs built by the controller from a node.yaml, for admins only
 * (the media carry the node's bootstrap token and password hashes).
 */
final class IsoRoutes {

  static final String OCTET_STREAM = "application/octet-stream";

  /**
   * A build that downloads the installer first (an empty cache) takes tens of seconds, an ISO's
   * download over a slow link minutes: longer than the API's usual request timeout.
   */
  static final Duration LONG_REQUEST = Duration.ofMinutes(10);

  private final IsoApi isos;

  IsoRoutes(IsoApi isos) {
    this.isos = isos;
  }

  List<ApiRoute> routes() {
    return List.of(
        new ApiRoute(
            HttpMethod.GET,
            "/api/v1/isos",
            Role.ADMIN,
            "The ISOs the controller has built, by name, with their SHA-256 and size",
            this::list),
        new ApiRoute(
            HttpMethod.POST,
            "/api/v1/isos",
            Role.ADMIN,
            "Build a node's installer ISO; body: the node.yaml; ?arch=amd64|arm64 (required),"
                + " ?profile=NAME overrides node.yaml's; replaces that node's previous ISO once"
                + " the new one is complete",
            this::build),
        new ApiRoute(
                HttpMethod.GET,
                "/api/v1/isos/{name}",
                Role.ADMIN,
                "Download an ISO (its SHA-256 is in the listing and in SHA256SUMS)",
                this::download)
            .producing(OCTET_STREAM));
  }

  private ApiAnswer list(ApiCall call) throws Exception {
    ObjectNode out = JsonBodies.object();
    ArrayNode list = out.putArray("isos");
    for (IsoLibrary.StoredIso iso : isos.list()) {
      list.addObject()
          .put("name", iso.name())
          .put("sha256", iso.sha256())
          .put("size", iso.size())
          .put("download", downloadPath(iso.name()));
    }
    return ApiAnswer.ok(out.toString());
  }

  private ApiAnswer build(ApiCall call) throws Exception {
    String archText = call.query("arch", null);
    if (archText == null) {
      throw ApiProblem.badRequest("arch", "is required: amd64 or arm64 (?arch=amd64)");
    }
    Architecture arch;
    try {
      arch = Architecture.parse(archText);
    } catch (IllegalArgumentException e) {
      throw ApiProblem.badRequest("arch", e.getMessage());
    }
    String nodeYaml = text(call);
    if (nodeYaml.isBlank()) {
      throw ApiProblem.badRequest(
          "body", "is empty: send the node.yaml (curl --data-binary @node.yaml)");
    }
    call.ctx().setRequestTimeout(TimeoutMode.SET_FROM_NOW, LONG_REQUEST);
    IsoLibrary.BuiltIso built;
    try {
      built =
          isos.build(nodeYaml, arch, call.query("profile", null), call.requirePrincipal().actor());
    } catch (InvalidInputException e) {
      throw new ApiProblem(
          400,
          "invalid node.yaml or profile; nothing was built: " + e.getMessage(),
          e.problems(),
          null);
    } catch (IllegalArgumentException e) {
      throw ApiProblem.of(400, e.getMessage() + "; nothing was built");
    } catch (IsoBuildException e) {
      throw ApiProblem.of(502, "the build failed; the library is unchanged: " + e.getMessage());
    } catch (IsoLibrary.BusyException e) {
      throw ApiProblem.of(503, e.getMessage());
    }
    ObjectNode out =
        JsonBodies.object()
            .put("name", built.name())
            .put("sha256", built.sha256())
            .put("size", built.size())
            .put("arch", built.arch().debianName())
            .put("hostname", built.hostname())
            .put("profile", built.profile())
            .put("installer_version", built.installerVersion())
            .put("seconds", built.seconds())
            .put("download", downloadPath(built.name()));
    ArrayNode warnings = out.putArray("warnings");
    built.warnings().forEach(warnings::add);
    return new ApiAnswer(201, out.toString(), Map.of("location", downloadPath(built.name())));
  }

  private ApiAnswer download(ApiCall call) throws Exception {
    String name = call.pathParam("name");
    Path file =
        isos.file(name)
            .orElseThrow(
                () ->
                    ApiProblem.of(404, "no ISO " + name + " in the library; see GET /api/v1/isos"));
    call.ctx().setRequestTimeout(TimeoutMode.SET_FROM_NOW, LONG_REQUEST);
    HttpFile iso =
        HttpFile.builder(file)
            .contentType(MediaType.OCTET_STREAM)
            .setHeader("content-disposition", "attachment; filename=\"" + name + "\"")
            .setHeader("cache-control", "no-store")
            .setHeader("x-content-type-options", "nosniff")
            .build();
    return ApiAnswer.stream(iso.asService().serve(call.ctx(), call.request().toHttpRequest()));
  }

  private static String text(ApiCall call) {
    try {
      return StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(java.nio.ByteBuffer.wrap(call.request().content().array()))
          .toString();
    } catch (CharacterCodingException e) {
      throw ApiProblem.badRequest("body", "is not UTF-8 text: send the node.yaml as it is");
    }
  }

  private static String downloadPath(String name) {
    return "/api/v1/isos/" + name;
  }
}
