package org.debvisor.agent.facts;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.debvisor.proto.DiskFacts;

/**
 * Block devices from {@code /sys/block}, without the kernel's virtual ones (loop, ram, zram,
 * device-mapper, md, nbd, rbd), with their stable {@code /dev/disk/by-id} name when udev made one.
 */
final class DiskFactsReader {

  private static final String BLOCK = "sys/block";
  private static final String BY_ID = "dev/disk/by-id";
  // Also RAID arrays, network block devices and mapped Ceph images: not disks of this machine,
  // and they come and go.
  private static final List<String> VIRTUAL =
      List.of("loop", "ram", "zram", "dm-", "md", "nbd", "rbd");
  // Vendor-model-serial names first: they say what the disk is; wwn and eui only identify it.
  private static final List<String> BY_ID_PREFERENCE =
      List.of("nvme-", "ata-", "scsi-", "virtio-", "usb-", "mmc-", "wwn-");

  private final SysFs fs;

  DiskFactsReader(SysFs fs) {
    this.fs = fs;
  }

  List<DiskFacts> read() {
    Map<String, String> byId = byIdLinks();
    List<DiskFacts> disks = new ArrayList<>();
    for (String name : fs.names(BLOCK)) {
      if (VIRTUAL.stream().anyMatch(name::startsWith)) {
        continue;
      }
      Path dir = fs.path(BLOCK).resolve(name);
      disks.add(
          DiskFacts.newBuilder()
              .setName(name)
              .setSizeBytes(Math.max(0, fs.number(dir.resolve("size"), 0)) * 512)
              .setModel(fs.text(dir.resolve("device/model")))
              .setSerial(serial(dir))
              .setRotational(fs.text(dir.resolve("queue/rotational")).equals("1"))
              .setByIdPath(byId.getOrDefault(name, ""))
              .setTransport(transport(name, dir))
              .setRemovable(fs.text(dir.resolve("removable")).equals("1"))
              .build());
    }
    return disks;
  }

  private String serial(Path dir) {
    for (String candidate : new String[] {"device/serial", "serial", "wwid", "device/wwid"}) {
      String value = fs.text(dir.resolve(candidate));
      if (!value.isEmpty()) {
        return value;
      }
    }
    return "";
  }

  private String transport(String name, Path dir) {
    String device = fs.real(dir).toString();
    if (name.startsWith("nvme") || device.contains("/nvme")) {
      return "nvme";
    }
    if (device.contains("/usb")) {
      return "usb";
    }
    if (name.startsWith("vd") || device.contains("/virtio")) {
      return "virtio";
    }
    if (device.contains("/ata")) {
      return "sata";
    }
    if (name.startsWith("mmcblk")) {
      return "mmc";
    }
    if (device.contains("/host") && device.contains("/target")) {
      return "scsi";
    }
    return "";
  }

  /** Disk name to the preferred by-id path pointing at it. */
  private Map<String, String> byIdLinks() {
    Map<String, String> best = new HashMap<>();
    Path dir = fs.path(BY_ID);
    for (String link : fs.names(dir)) {
      fs.linkTarget(dir.resolve(link))
          .map(Path::getFileName)
          .map(Path::toString)
          .ifPresent(
              disk ->
                  best.merge(
                      disk,
                      "/dev/disk/by-id/" + link,
                      (a, b) -> BETTER.compare(a, b) <= 0 ? a : b));
    }
    return best;
  }

  private static final Comparator<String> BETTER =
      Comparator.comparingInt(DiskFactsReader::rank).thenComparing(Comparator.naturalOrder());

  private static int rank(String path) {
    String link = path.substring(path.lastIndexOf('/') + 1);
    if (link.startsWith("nvme-eui.") || link.startsWith("nvme-nvme.")) {
      return BY_ID_PREFERENCE.size();
    }
    for (int i = 0; i < BY_ID_PREFERENCE.size(); i++) {
      if (link.startsWith(BY_ID_PREFERENCE.get(i))) {
        return i;
      }
    }
    return BY_ID_PREFERENCE.size() + 1;
  }
}
