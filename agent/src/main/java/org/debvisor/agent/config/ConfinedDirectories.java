package org.debvisor.agent.config;

import java.io.IOException;
import java.nio.file.FileSystemException;
import java.nio.file.Path;
import org.debvisor.agentapi.bundle.AllowedRoots;

/**
 * Opens directories under the allowed roots from the root down, one component at a time and never
 * through a symbolic link below the root, so whatever changes on disk meanwhile, a handle always
 * names a directory inside a root. A root is opened through its configured path (which may be a
 * symlink) and judged by where its descriptor then points.
 */
final class ConfinedDirectories {

  private final AllowedRoots roots;
  private final DirectoryCalls calls;

  ConfinedDirectories(AllowedRoots roots, DirectoryCalls calls) {
    this.roots = roots;
    this.calls = calls;
  }

  /**
   * Opens {@code dir}, a real path at or below the real path of an allowed root.
   *
   * @throws java.nio.file.NoSuchFileException a component does not exist
   * @throws DirectoryHandle.NotADirectoryException a component is a symlink or not a directory
   * @throws FileSystemException {@code dir} is under no allowed root
   */
  DirectoryHandle open(Path dir) throws IOException {
    for (Path root : roots.roots()) {
      DirectoryHandle handle;
      try {
        handle = DirectoryHandle.openRoot(calls, root);
      } catch (IOException e) {
        continue;
      }
      Path real = handle.realPath();
      if (!dir.startsWith(real)) {
        handle.close();
        continue;
      }
      try {
        for (Path segment : real.relativize(dir)) {
          if (segment.toString().isEmpty()) {
            continue;
          }
          DirectoryHandle next = handle.openChild(segment.toString());
          handle.close();
          handle = next;
        }
        return handle;
      } catch (IOException | RuntimeException e) {
        handle.close();
        throw e;
      }
    }
    throw new FileSystemException(dir.toString(), null, "is under no allowed root");
  }
}
