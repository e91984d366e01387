package org.debvisor.controller.mirror;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;
import java.util.zip.GZIPInputStream;
import org.apache.commons.compress.archivers.ar.ArArchiveEntry;
import org.apache.commons.compress.archivers.ar.ArArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.tukaani.xz.XZInputStream;

/** Reads files out of a Debian package's {@code data.tar.xz} (or {@code .gz}). */
final class DebArchive {

  private DebArchive() {}

  /**
   * Extracts the regular files whose normalised path (no leading {@code ./}) is accepted.
   *
   * @return each extracted path mapped to its file under {@code targetDir}
   */
  public static Map<String, Path> extract(Path deb, Predicate<String> wanted, Path targetDir)
      throws IsoBuildException {
    Map<String, Path> extracted = new TreeMap<>();
    try (ArArchiveInputStream ar =
        new ArArchiveInputStream(new BufferedInputStream(Files.newInputStream(deb)))) {
      for (ArArchiveEntry member; (member = ar.getNextEntry()) != null; ) {
        String name = member.getName();
        if (!name.startsWith("data.tar")) {
          continue;
        }
        InputStream payload;
        if (name.equals("data.tar.xz")) {
          payload = new XZInputStream(ar);
        } else if (name.equals("data.tar.gz")) {
          payload = new GZIPInputStream(ar);
        } else if (name.equals("data.tar")) {
          payload = ar;
        } else {
          throw new IsoBuildException(deb + ": unsupported member " + name);
        }
        TarArchiveInputStream tar = new TarArchiveInputStream(payload);
        for (TarArchiveEntry entry; (entry = tar.getNextEntry()) != null; ) {
          String path = entry.getName().replaceFirst("^\\./", "");
          if (!entry.isFile() || !wanted.test(path) || path.contains("..")) {
            continue;
          }
          Path target = targetDir.resolve(path);
          Files.createDirectories(target.getParent());
          Files.copy(tar, target, StandardCopyOption.REPLACE_EXISTING);
          extracted.put(path, target);
        }
        return extracted;
      }
    } catch (IOException e) {
      throw new IsoBuildException("cannot unpack " + deb + ": " + e.getMessage(), e);
    }
    throw new IsoBuildException(deb + ": no data.tar member (not a Debian package?)");
  }
}
