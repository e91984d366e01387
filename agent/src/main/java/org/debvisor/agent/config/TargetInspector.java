package org.debvisor.agent.config;

import java.io.IOException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.debvisor.agentapi.bundle.AllowedRoots;
import org.debvisor.agentapi.bundle.BundleValidator;
import org.debvisor.common.violation.Violation;
import org.debvisor.proto.ConfigBundle;
import org.debvisor.proto.ConfigFile;

/**
 * Looks at the disk just before an apply: follows each target's parent directories to their real
 * location, which must still be under an allowed root, and refuses to replace anything that is not
 * a regular file.
 */
final class TargetInspector {

  private final AllowedRoots roots;

  TargetInspector(AllowedRoots roots) {
    this.roots = roots;
  }

  /** The plan for a bundle that already passed {@link BundleValidator}. */
  ApplyPlan inspect(ConfigBundle bundle) throws BundleRejectedException, IOException {
    Map<Path, Path> realRoots = realRoots(roots);
    List<Violation> violations = new ArrayList<>();
    List<ApplyPlan.PlannedFile> files = new ArrayList<>();
    Set<Path> newDirs = new LinkedHashSet<>();
    Map<Path, Integer> targets = new HashMap<>();
    for (int i = 0; i < bundle.getFilesCount(); i++) {
      ConfigFile file = bundle.getFiles(i);
      String field = "bundle.files[" + i + "].path";
      Path lexical = Path.of(file.getPath());
      Optional<Path> root = roots.rootOf(lexical);
      if (root.isEmpty()) {
        violations.add(new Violation(field, "is not under an allowed root"));
        continue;
      }
      if (!realRoots.containsKey(root.get())) {
        violations.add(
            new Violation(field, "allowed root " + root.get() + " is not an existing directory"));
        continue;
      }
      Optional<Path> parent =
          realParent(lexical, root.get(), realRoots, field, violations, newDirs);
      if (parent.isEmpty()) {
        continue;
      }
      Path target = parent.get().resolve(lexical.getFileName().toString());
      Integer same = targets.putIfAbsent(target, i);
      if (same != null) {
        violations.add(
            new Violation(
                field, "is the same file as bundle.files[" + same + "].path (through a symlink)"));
        continue;
      }
      BasicFileAttributes existing = attributesOf(target);
      Optional<String> problem = existingTargetProblem(existing);
      if (problem.isPresent()) {
        violations.add(new Violation(field, problem.get()));
        continue;
      }
      files.add(
          new ApplyPlan.PlannedFile(
              file, target, existing != null, BundleValidator.effectiveMode(file.getMode())));
    }
    if (!violations.isEmpty()) {
      throw new BundleRejectedException(violations);
    }
    return new ApplyPlan(files, new ArrayList<>(newDirs));
  }

  /**
   * The real directory the file goes into: its deepest existing ancestor resolved through any
   * symlinks, plus the segments still to be created (added to {@code newDirs}).
   */
  private static Optional<Path> realParent(
      Path lexical,
      Path root,
      Map<Path, Path> realRoots,
      String field,
      List<Violation> violations,
      Set<Path> newDirs)
      throws IOException {
    Deque<String> missing = new ArrayDeque<>();
    Path existing = lexical.getParent();
    while (!existing.equals(root) && !Files.exists(existing, LinkOption.NOFOLLOW_LINKS)) {
      missing.push(existing.getFileName().toString());
      existing = existing.getParent();
    }
    // The root was resolved, and found to be a directory, already.
    boolean atRoot = existing.equals(root);
    Path real;
    try {
      real = atRoot ? realRoots.get(root) : existing.toRealPath();
    } catch (NoSuchFileException e) {
      violations.add(new Violation(field, existing + " is a dangling symbolic link"));
      return Optional.empty();
    } catch (FileSystemException e) {
      // E.g. a symlink loop (ELOOP) or a component that is not a directory.
      violations.add(
          new Violation(
              field,
              existing
                  + " cannot be resolved ("
                  + Objects.toString(e.getReason(), e.toString())
                  + ")"));
      return Optional.empty();
    }
    if (!atRoot && !Files.isDirectory(real, LinkOption.NOFOLLOW_LINKS)) {
      violations.add(new Violation(field, existing + " exists and is not a directory"));
      return Optional.empty();
    }
    if (realRoots.values().stream().noneMatch(real::startsWith)) {
      violations.add(
          new Violation(field, existing + " resolves to " + real + ", outside the allowed roots"));
      return Optional.empty();
    }
    Path dir = real;
    while (!missing.isEmpty()) {
      dir = dir.resolve(missing.pop());
      newDirs.add(dir);
    }
    return Optional.of(dir);
  }

  /** Real (symlink-free) paths of the roots that are directories now, by configured root. */
  private static Map<Path, Path> realRoots(AllowedRoots roots) {
    Map<Path, Path> real = new LinkedHashMap<>();
    for (Path root : roots.roots()) {
      try {
        if (Files.isDirectory(root)) {
          real.put(root, root.toRealPath());
        }
      } catch (IOException e) {
        // A root that vanished while resolving it simply admits nothing.
      }
    }
    return real;
  }

  /** The target's own attributes (a symlink's, not its target's), or null when there is none. */
  private static BasicFileAttributes attributesOf(Path target) throws IOException {
    try {
      return Files.readAttributes(target, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
    } catch (NoSuchFileException e) {
      return null;
    }
  }

  private static Optional<String> existingTargetProblem(BasicFileAttributes attrs) {
    if (attrs == null) {
      return Optional.empty();
    }
    if (attrs.isSymbolicLink()) {
      return Optional.of("is a symbolic link; refusing to replace it");
    }
    if (attrs.isDirectory()) {
      return Optional.of("is a directory; refusing to replace it");
    }
    if (!attrs.isRegularFile()) {
      return Optional.of("is a device, FIFO or socket; refusing to replace it");
    }
    return Optional.empty();
  }
}
