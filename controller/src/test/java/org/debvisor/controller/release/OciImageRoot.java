package org.debvisor.controller.release;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.debvisor.agent.packaging.CommandRunner;

/**
 * An OCI image archive (oci-layout, index.json, blobs/sha256) unpacked into a root filesystem, with
 * its config's entrypoint, command, environment, user and working directory: enough to run the
 * image without a container runtime (chroot in fresh mount and PID namespaces, host network).
 */
record OciImageRoot(
    Path rootfs,
    List<String> entrypoint,
    List<String> cmd,
    List<String> env,
    String user,
    String workingDir) {

  /** Unpacks {@code archive} below {@code dir} (root, so owners and device nodes are kept). */
  static OciImageRoot unpack(Path archive, Path dir) throws IOException, InterruptedException {
    CommandRunner runner = new CommandRunner(dir, Duration.ofMinutes(5));
    Path layout = Files.createDirectories(dir.resolve("layout"));
    runner.run(List.of("tar", "-xf", archive.toString(), "-C", layout.toString())).requireSuccess();
    ObjectMapper json = new ObjectMapper();
    JsonNode index = json.readTree(layout.resolve("index.json").toFile());
    JsonNode manifest = json.readTree(blob(layout, index.path("manifests").get(0)).toFile());
    JsonNode config = json.readTree(blob(layout, manifest.path("config")).toFile()).path("config");
    Path rootfs = Files.createDirectories(dir.resolve("rootfs"));
    for (JsonNode layer : manifest.path("layers")) {
      // Jib and the base layer carry no whiteouts; tar detects gzip by itself.
      runner
          .run(
              List.of(
                  "tar",
                  "-xpf",
                  blob(layout, layer).toString(),
                  "--numeric-owner",
                  "-C",
                  rootfs.toString()))
          .requireSuccess();
    }
    return new OciImageRoot(
        rootfs,
        strings(config.path("Entrypoint")),
        strings(config.path("Cmd")),
        strings(config.path("Env")),
        config.path("User").asText("0:0"),
        config.path("WorkingDir").asText("/"));
  }

  /**
   * The command line that runs the entrypoint with {@code args} in place of the image's command:
   * own mount and PID namespaces (killed with it), /proc and /dev inside, the image's user.
   */
  List<String> command(List<String> args) {
    List<String> command =
        new ArrayList<>(
            List.of(
                "unshare",
                "--mount",
                "--pid",
                "--fork",
                "--kill-child",
                "sh",
                "-ec",
                "root=$1; user=$2; dir=$3; shift 3; mount --make-rprivate /;"
                    + " mount -t proc proc \"$root/proc\"; mount --rbind /dev \"$root/dev\";"
                    + " exec chroot --userspec=\"$user\" \"$root\" sh -c 'cd \"$0\" && exec \"$@\"'"
                    + " \"$dir\" \"$@\"",
                "run-image",
                rootfs.toString(),
                user,
                workingDir,
                "env",
                "-i"));
    command.addAll(env);
    command.addAll(entrypoint);
    command.addAll(args);
    return command;
  }

  private static Path blob(Path layout, JsonNode descriptor) {
    String[] digest = descriptor.path("digest").asText().split(":", 2);
    return layout.resolve("blobs").resolve(digest[0]).resolve(digest[1]);
  }

  private static List<String> strings(JsonNode array) {
    List<String> out = new ArrayList<>();
    array.forEach(item -> out.add(item.asText()));
    return out;
  }
}
