package org.debvisor.controller.install;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.List;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/**
 * Packs overlay files into a POSIX tar with owner names (the installer extracts it inside the new
 * system, where those names exist) and one fixed time, so equal inputs give equal bytes.
 */
final class OverlayTar {

  private final long epochSeconds;

  public OverlayTar(long epochSeconds) {
    this.epochSeconds = epochSeconds;
  }

  /** The tar bytes, entries in the given order. */
  public byte[] pack(List<OverlayFile> files) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (TarArchiveOutputStream tar = new TarArchiveOutputStream(bytes)) {
      tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
      for (OverlayFile file : files) {
        String name = file.isDirectory() ? file.path() + "/" : file.path();
        TarArchiveEntry entry = new TarArchiveEntry(name);
        entry.setMode((file.isDirectory() ? 040000 : 0100000) | file.mode());
        entry.setUserName(file.owner());
        entry.setGroupName(file.owner());
        entry.setLastModifiedTime(FileTime.from(Instant.ofEpochSecond(epochSeconds)));
        if (!file.isDirectory()) {
          entry.setSize(file.content().length);
        }
        tar.putArchiveEntry(entry);
        if (!file.isDirectory()) {
          tar.write(file.content());
        }
        tar.closeArchiveEntry();
      }
      tar.finish();
    } catch (IOException e) {
      throw new UncheckedIOException("packing in memory cannot fail", e);
    }
    return bytes.toByteArray();
  }
}
