package org.debvisor.controller.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.google.protobuf.ByteString;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.Locale;
import java.util.Set;
import org.debvisor.proto.ConfigBundle;
import org.debvisor.proto.ConfigFile;
import org.debvisor.proto.GateCheck;
import org.debvisor.proto.HealthGate;
import org.debvisor.proto.ServiceAction;
import org.debvisor.proto.Subsystem;

/**
 * Reads a bundle from the operator's machine: a YAML file, or a directory holding {@code
 * bundle.yaml} beside the files it names with {@code content_file} (paths relative to the YAML).
 * Computes each file's SHA-256. Unknown keys are errors naming the key, so a typo is not silently
 * dropped. The full rules are checked by the controller and the agents.
 */
final class BundleFileReader {

  /** A bundle file that cannot be read; the message names the file and the key. */
  static final class BundleFileException extends Exception {
    BundleFileException(String message) {
      super(message);
    }
  }

  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private static final Set<String> TOP = Set.of("version", "files", "services", "gate");
  private static final Set<String> FILE =
      Set.of("path", "mode", "owner", "group", "content", "content_file");
  private static final Set<String> SERVICE = Set.of("unit", "action");
  private static final Set<String> GATE = Set.of("window", "checks");
  private static final Set<String> CHECK =
      Set.of("subsystem_not_worse", "command", "unit_active", "tcp_connect");
  private static final long MAX_FILE_BYTES = 8L * 1024 * 1024;

  ConfigBundle read(Path location) throws BundleFileException {
    Path yaml = Files.isDirectory(location) ? location.resolve("bundle.yaml") : location;
    if (!Files.isRegularFile(yaml)) {
      throw new BundleFileException(
          yaml + " does not exist; give a bundle YAML or a directory holding bundle.yaml");
    }
    JsonNode root;
    try {
      root = YAML.readTree(yaml.toFile());
    } catch (IOException e) {
      throw new BundleFileException(yaml + " is not valid YAML: " + e.getMessage());
    }
    if (root == null || !root.isObject()) {
      throw new BundleFileException(yaml + ": expected a mapping with version and files");
    }
    known(yaml, "", root, TOP);
    ConfigBundle.Builder bundle = ConfigBundle.newBuilder().setVersion(text(root, "version"));
    Path base = yaml.toAbsolutePath().getParent();
    int i = 0;
    for (JsonNode f : list(yaml, root, "files")) {
      String at = "files[" + i++ + "]";
      known(yaml, at + ".", f, FILE);
      byte[] content = content(yaml, at, f, base);
      bundle.addFiles(
          ConfigFile.newBuilder()
              .setPath(text(f, "path"))
              .setMode(mode(yaml, at, f))
              .setOwner(text(f, "owner"))
              .setGroup(text(f, "group"))
              .setContent(ByteString.copyFrom(content))
              .setSha256(sha256(content)));
    }
    i = 0;
    for (JsonNode s : list(yaml, root, "services")) {
      String at = "services[" + i++ + "]";
      known(yaml, at + ".", s, SERVICE);
      String action = text(s, "action").toLowerCase(Locale.ROOT);
      bundle.addServices(
          ServiceAction.newBuilder()
              .setUnit(text(s, "unit"))
              .setAction(
                  switch (action) {
                    case "", "reload" -> ServiceAction.Action.RELOAD;
                    case "restart" -> ServiceAction.Action.RESTART;
                    default ->
                        throw new BundleFileException(
                            yaml
                                + ": "
                                + at
                                + ".action is '"
                                + action
                                + "'; use reload or restart");
                  }));
    }
    JsonNode gate = root.get("gate");
    if (gate != null && !gate.isNull()) {
      known(yaml, "gate.", gate, GATE);
      HealthGate.Builder g = HealthGate.newBuilder();
      String window = text(gate, "window");
      if (!window.isEmpty()) {
        Duration d;
        try {
          d = DurationOption.parse("gate.window", window);
        } catch (IllegalArgumentException e) {
          throw new BundleFileException(yaml + ": " + e.getMessage());
        }
        g.setWindow(com.google.protobuf.Duration.newBuilder().setSeconds(d.getSeconds()));
      }
      i = 0;
      for (JsonNode c : list(yaml, gate, "checks")) {
        String at = "gate.checks[" + i++ + "]";
        known(yaml, at + ".", c, CHECK);
        if (c.size() != 1) {
          throw new BundleFileException(
              yaml + ": " + at + " must have exactly one of " + CHECK.stream().sorted().toList());
        }
        String key = c.fieldNames().next();
        String value = text(c, key);
        GateCheck.Builder check = GateCheck.newBuilder();
        switch (key) {
          case "command" -> check.setCommand(value);
          case "unit_active" -> check.setUnitActive(value);
          case "tcp_connect" -> check.setTcpConnect(value);
          default -> check.setSubsystemNotWorse(subsystem(yaml, at, value));
        }
        g.addChecks(check);
      }
      bundle.setGate(g);
    }
    return bundle.build();
  }

  private static byte[] content(Path yaml, String at, JsonNode f, Path base)
      throws BundleFileException {
    boolean inline = f.has("content");
    boolean fromFile = f.has("content_file");
    if (inline == fromFile) {
      throw new BundleFileException(
          yaml + ": " + at + " needs exactly one of content and content_file");
    }
    if (inline) {
      return text(f, "content").getBytes(StandardCharsets.UTF_8);
    }
    Path file = base.resolve(text(f, "content_file"));
    try {
      if (Files.size(file) > MAX_FILE_BYTES) {
        throw new BundleFileException(
            yaml + ": " + at + ".content_file " + file + " is larger than 8 MiB");
      }
      return Files.readAllBytes(file);
    } catch (IOException e) {
      throw new BundleFileException(
          yaml + ": " + at + ".content_file " + file + " cannot be read: " + e.getMessage());
    }
  }

  private static int mode(Path yaml, String at, JsonNode f) throws BundleFileException {
    JsonNode m = f.get("mode");
    if (m == null || m.isNull()) {
      return 0;
    }
    String text = m.asText();
    try {
      // "0644" and 644 both mean octal, as chmod reads them.
      return Integer.parseInt(text, 8);
    } catch (NumberFormatException e) {
      throw new BundleFileException(
          yaml + ": " + at + ".mode is '" + text + "'; give octal permission bits like 0644");
    }
  }

  private static Subsystem subsystem(Path yaml, String at, String name) throws BundleFileException {
    try {
      return Subsystem.valueOf("SUBSYSTEM_" + name.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new BundleFileException(
          yaml
              + ": "
              + at
              + ".subsystem_not_worse is '"
              + name
              + "'; use ceph, hypervisor, kubernetes or system");
    }
  }

  private static void known(Path yaml, String prefix, JsonNode node, Set<String> keys)
      throws BundleFileException {
    if (!node.isObject()) {
      throw new BundleFileException(yaml + ": " + prefix + " must be a mapping");
    }
    for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
      String key = it.next();
      if (!keys.contains(key)) {
        throw new BundleFileException(
            yaml
                + ": unknown key '"
                + prefix
                + key
                + "'; known: "
                + keys.stream().sorted().toList());
      }
    }
  }

  private static Iterable<JsonNode> list(Path yaml, JsonNode parent, String key)
      throws BundleFileException {
    JsonNode n = parent.get(key);
    if (n == null || n.isNull()) {
      return java.util.List.of();
    }
    if (!n.isArray()) {
      throw new BundleFileException(yaml + ": " + key + " must be a list");
    }
    return n;
  }

  private static String text(JsonNode parent, String key) {
    JsonNode n = parent.get(key);
    return n == null || n.isNull() ? "" : n.asText();
  }

  private static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 missing from the JDK", e);
    }
  }
}
