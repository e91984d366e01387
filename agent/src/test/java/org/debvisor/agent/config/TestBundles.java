package org.debvisor.agent.config;

import com.google.protobuf.ByteString;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.debvisor.agentapi.ConfigSettings;
import org.debvisor.agentapi.bundle.BundleValidator;
import org.debvisor.proto.ConfigBundle;
import org.debvisor.proto.ConfigFile;

/** Builders for bundles and settings, and a snapshot of a directory tree, used by config tests. */
final class TestBundles {

  private TestBundles() {}

  static ConfigSettings settings(Path stateDir, Path... roots) {
    return new ConfigSettings(
        stateDir, List.of(roots), null, null, null, null, null, null, null, null, null);
  }

  static ConfigSettings settings(
      Path stateDir, Path root, int maxFileBytes, int maxBundleBytes, int maxFiles, int history) {
    return new ConfigSettings(
        stateDir,
        List.of(root),
        maxFileBytes,
        maxBundleBytes,
        maxFiles,
        history,
        null,
        null,
        null,
        null,
        null);
  }

  /** Every readable journal in {@code stateDir}, oldest first, and the torn ones. */
  static ApplyJournal.Scan journals(Path stateDir) throws IOException {
    if (!Files.isDirectory(stateDir)) {
      return new ApplyJournal.Scan(List.of(), List.of());
    }
    return new ApplyJournal(
            stateDir,
            new com.fasterxml.jackson.databind.ObjectMapper(),
            new DurableFiles(new FsyncCounter()))
        .scan();
  }

  /**
   * Journals of applies that are not committed (or cut short) in {@code stateDir}: what a recovery
   * would have to finish or undo. A finished commit keeps its committed journal for the next apply.
   */
  static List<Path> unfinishedJournals(Path stateDir) throws IOException {
    ApplyJournal.Scan scan = journals(stateDir);
    List<Path> unfinished = new java.util.ArrayList<>(scan.torn());
    for (ApplyJournal.Entry e : scan.entries()) {
      if (e.committed().isEmpty()) {
        unfinished.add(e.file());
      }
    }
    return unfinished;
  }

  /** The committed journals in {@code stateDir}, oldest first. */
  static List<Path> committedJournals(Path stateDir) throws IOException {
    return journals(stateDir).entries().stream()
        .filter(e -> e.committed().isPresent())
        .map(ApplyJournal.Entry::file)
        .toList();
  }

  static ConfigFile file(String path, String content, int mode) {
    return file(path, content.getBytes(StandardCharsets.UTF_8), mode);
  }

  static ConfigFile file(String path, byte[] content, int mode) {
    ByteString bytes = ByteString.copyFrom(content);
    return ConfigFile.newBuilder()
        .setPath(path)
        .setMode(mode)
        .setContent(bytes)
        .setSha256(BundleValidator.sha256Hex(bytes))
        .build();
  }

  static ConfigFile file(Path path, String content, int mode) {
    return file(path.toString(), content, mode);
  }

  static ConfigBundle bundle(String version, ConfigFile... files) {
    return ConfigBundle.newBuilder().setVersion(version).addAllFiles(List.of(files)).build();
  }

  /**
   * Every entry under {@code dir} (not following links) with its type and content, for
   * byte-for-byte comparisons of whole trees.
   */
  static Map<String, String> snapshot(Path dir) throws IOException {
    Map<String, String> out = new TreeMap<>();
    if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
      return out;
    }
    try (Stream<Path> walk = Files.walk(dir)) {
      for (Path p : walk.toList()) {
        String key = dir.relativize(p).toString();
        if (Files.isSymbolicLink(p)) {
          out.put(key, "link:" + Files.readSymbolicLink(p));
        } else if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
          out.put(key, "dir:" + Files.getAttribute(p, "unix:mode", LinkOption.NOFOLLOW_LINKS));
        } else if (!Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
          out.put(key, "special:" + Files.getAttribute(p, "unix:mode", LinkOption.NOFOLLOW_LINKS));
        } else {
          out.put(
              key,
              "file:"
                  + Files.getAttribute(p, "unix:mode", LinkOption.NOFOLLOW_LINKS)
                  + ":"
                  + BundleValidator.sha256Hex(ByteString.copyFrom(Files.readAllBytes(p))));
        }
      }
    }
    return out;
  }

  static int mode(Path p) throws IOException {
    return ((Integer) Files.getAttribute(p, "unix:mode", LinkOption.NOFOLLOW_LINKS)) & 07777;
  }
}
