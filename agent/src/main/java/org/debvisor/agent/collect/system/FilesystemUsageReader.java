package org.debvisor.agent.collect.system;

import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.debvisor.proto.Filesystem;

/**
 * Lists the mounted filesystems that hold data (block-device backed, or network/cluster
 * filesystems) with their usage; pseudo filesystems and read-only images are left out.
 */
final class FilesystemUsageReader {

  /** Filesystems without a block device that still hold data worth watching. */
  private static final Set<String> NODEV_DATA_TYPES =
      Set.of("zfs", "nfs", "nfs4", "cephfs", "fuse.ceph-fuse", "glusterfs", "9p", "virtiofs");

  /** Always full or not ours: images and boot media. */
  private static final Set<String> IGNORED_TYPES = Set.of("squashfs", "iso9660", "udf", "erofs");

  private final Path root;

  FilesystemUsageReader(Path root) {
    this.root = root;
  }

  List<Filesystem> read() throws IOException {
    Set<String> nodev = nodevTypes();
    Set<String> seenDevices = new HashSet<>();
    List<Filesystem> result = new ArrayList<>();
    for (String line : Files.readAllLines(root.resolve("proc/self/mounts"))) {
      String[] f = line.split(" ");
      if (f.length < 4) {
        continue;
      }
      String device = unescape(f[0]);
      String mountPoint = unescape(f[1]);
      String type = f[2];
      boolean dataType = !nodev.contains(type) || NODEV_DATA_TYPES.contains(type);
      if (!dataType || IGNORED_TYPES.contains(type) || !seenDevices.add(device)) {
        continue; // pseudo fs, image, or a bind mount of a device already listed
      }
      Filesystem.Builder fs =
          Filesystem.newBuilder()
              .setMountPoint(mountPoint)
              .setDevice(device)
              .setType(type)
              .setReadOnly(List.of(f[3].split(",")).contains("ro"));
      try {
        FileStore store = Files.getFileStore(root.resolve(mountPoint.substring(1)));
        long total = store.getTotalSpace();
        long free = store.getUnallocatedSpace();
        fs.setTotalBytes(total)
            .setUsedBytes(Math.max(0, total - free))
            .setAvailableBytes(store.getUsableSpace());
      } catch (IOException | SecurityException e) {
        continue; // vanished or inaccessible mount: skip rather than fail the whole reading
      }
      result.add(fs.build());
    }
    return result;
  }

  /** Used percentage as df shows it: used / (used + available to users). */
  static double usedPercent(Filesystem fs) {
    long denominator = fs.getUsedBytes() + fs.getAvailableBytes();
    return denominator == 0 ? 0 : 100.0 * fs.getUsedBytes() / denominator;
  }

  private Set<String> nodevTypes() throws IOException {
    Set<String> types = new HashSet<>();
    Path file = root.resolve("proc/filesystems");
    if (Files.exists(file)) {
      for (String line : Files.readAllLines(file)) {
        if (line.startsWith("nodev")) {
          types.add(line.substring("nodev".length()).strip());
        }
      }
    }
    return types;
  }

  /** /proc/mounts escapes space, tab, newline and backslash as octal. */
  private static String unescape(String value) {
    if (value.indexOf('\\') < 0) {
      return value;
    }
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c == '\\' && i + 3 < value.length()) {
        try {
          out.append((char) Integer.parseInt(value.substring(i + 1, i + 4), 8));
          i += 3;
          continue;
        } catch (NumberFormatException e) {
          // not an escape; keep the backslash
        }
      }
      out.append(c);
    }
    return out.toString();
  }
}
