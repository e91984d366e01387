package org.debvisor.agent.facts;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Reads small files under a filesystem root ({@code /} or a test fixture); every failure yields an
 * empty value, because a fact the kernel does not expose is simply unknown.
 */
final class SysFs {

  private final Path root;

  SysFs(Path root) {
    this.root = root;
  }

  Path path(String relative) {
    return root.resolve(relative);
  }

  /** The file's content without surrounding white space, or "" when it cannot be read. */
  String text(String relative) {
    return text(path(relative));
  }

  String text(Path file) {
    try {
      // Kernel attribute files are small; cap what is read so a wrong path cannot flood memory.
      byte[] bytes;
      try (var in = Files.newInputStream(file)) {
        bytes = in.readNBytes(64 * 1024);
      }
      return new String(bytes, StandardCharsets.UTF_8).replace("\0", "").strip();
    } catch (IOException | UncheckedIOException | SecurityException e) {
      return "";
    }
  }

  /** The file's lines, or none when it cannot be read. */
  List<String> lines(String relative) {
    String text = text(relative);
    return text.isEmpty() ? List.of() : text.lines().toList();
  }

  /** The file's content as a whole number, or {@code fallback}. */
  long number(Path file, long fallback) {
    try {
      return Long.parseLong(text(file));
    } catch (NumberFormatException e) {
      return fallback;
    }
  }

  long number(String relative, long fallback) {
    return number(path(relative), fallback);
  }

  /** Names of the directory's entries, sorted, or none. */
  List<String> names(String relative) {
    return names(path(relative));
  }

  List<String> names(Path dir) {
    List<String> names = new ArrayList<>();
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
      for (Path entry : entries) {
        names.add(entry.getFileName().toString());
      }
    } catch (IOException | UncheckedIOException | SecurityException e) {
      return List.of();
    }
    names.sort(null);
    return names;
  }

  /** The last element of a symbolic link's target (e.g. a driver's name), or "". */
  String linkName(Path link) {
    try {
      Path target = Files.readSymbolicLink(link);
      Path name = target.getFileName();
      return name == null ? "" : name.toString();
    } catch (IOException | UnsupportedOperationException | SecurityException e) {
      return "";
    }
  }

  /** Where a symbolic link points, resolved against the link's directory, or empty. */
  Optional<Path> linkTarget(Path link) {
    try {
      return Optional.of(link.resolveSibling(Files.readSymbolicLink(link)).normalize());
    } catch (IOException | UnsupportedOperationException | SecurityException e) {
      return Optional.empty();
    }
  }

  /** The path with every symbolic link resolved, or the path itself. */
  Path real(Path path) {
    try {
      return path.toRealPath();
    } catch (IOException | SecurityException e) {
      return path;
    }
  }

  boolean exists(String relative) {
    try {
      return Files.exists(path(relative));
    } catch (SecurityException e) {
      return false;
    }
  }
}
