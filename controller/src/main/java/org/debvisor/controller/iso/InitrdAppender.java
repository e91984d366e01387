package org.debvisor.controller.iso;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.archivers.cpio.CpioArchiveEntry;
import org.apache.commons.compress.archivers.cpio.CpioArchiveOutputStream;
import org.apache.commons.compress.archivers.cpio.CpioConstants;

/**
 * Appends files to an installer initrd as one more gzip-compressed newc cpio archive; the kernel
 * unpacks concatenated archives in order, so later files are added to (or replace) earlier ones.
 */
final class InitrdAppender {

  private final long mtimeSeconds;

  /**
   * @param mtimeSeconds the modification time of every entry (SOURCE_DATE_EPOCH)
   */
  public InitrdAppender(long mtimeSeconds) {
    this.mtimeSeconds = mtimeSeconds;
  }

  /** The gzip member holding {@code files} (path without leading slash → content), sorted. */
  public byte[] segment(Map<String, byte[]> files) throws IOException {
    SortedMap<String, byte[]> sorted = new TreeMap<>(files);
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (GZIPOutputStream gzip = new GZIPOutputStream(bytes);
        CpioArchiveOutputStream cpio =
            new CpioArchiveOutputStream(gzip, CpioConstants.FORMAT_NEW, 512, "US-ASCII")) {
      long inode = 1;
      for (var file : sorted.entrySet()) {
        String name = file.getKey().replaceFirst("^/+", "");
        CpioArchiveEntry entry =
            new CpioArchiveEntry(CpioConstants.FORMAT_NEW, name, file.getValue().length);
        entry.setMode(CpioConstants.C_ISREG | 0644);
        entry.setTime(mtimeSeconds);
        entry.setUID(0);
        entry.setGID(0);
        entry.setNumberOfLinks(1);
        entry.setInode(inode++);
        cpio.putArchiveEntry(entry);
        cpio.write(file.getValue());
        cpio.closeArchiveEntry();
      }
      cpio.finish();
    }
    return bytes.toByteArray();
  }

  /** Writes {@code original} followed by the segment of {@code files} to {@code target}. */
  public void append(Path original, Map<String, byte[]> files, Path target) throws IOException {
    write(original, segment(files), target);
  }

  /**
   * Writes {@code original} followed by {@code segment} (from {@link #segment}) to {@code target}.
   */
  public void write(Path original, byte[] segment, Path target) throws IOException {
    try (OutputStream out = Files.newOutputStream(target)) {
      Files.copy(original, out);
      out.write(segment);
    }
  }
}
