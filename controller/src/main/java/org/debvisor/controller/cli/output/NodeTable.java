package org.debvisor.controller.cli.output;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.MessageOrBuilder;
import com.google.protobuf.Timestamp;
import com.google.protobuf.util.JsonFormat;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.debvisor.proto.DiskFacts;
import org.debvisor.proto.EnrolmentState;
import org.debvisor.proto.HardwareFacts;
import org.debvisor.proto.InstallingNode;
import org.debvisor.proto.NicFacts;
import org.debvisor.proto.NodeRecord;

/** Renders node records as aligned text tables, details, or JSON. */
public final class NodeTable {

  private NodeTable() {}

  /** One row per node: id, hostname, profile, cluster, arch, state, health, last seen. */
  public static void list(List<NodeRecord> nodes, PrintWriter out) {
    List<String[]> rows = new ArrayList<>();
    rows.add(
        new String[] {
          "ID",
          "HOSTNAME",
          "PROFILE",
          "CLUSTER",
          "ARCH",
          "STATE",
          "HEALTH",
          "LAST SEEN",
          "CERT UNTIL"
        });
    for (NodeRecord n : nodes) {
      rows.add(
          new String[] {
            n.getNodeId(),
            n.getHostname(),
            dash(n.getProfile()),
            dash(n.getCluster()),
            dash(n.getArch()),
            state(n),
            n.hasLastStatus() ? health(n) : "-",
            n.hasLastSeen() ? time(n.getLastSeen()) : "never",
            n.hasCertificateNotAfter() ? time(n.getCertificateNotAfter()) : "-"
          });
    }
    print(rows, out);
  }

  /**
   * One row per machine still installing (its installer reported progress, its agent has not
   * enrolled yet): STATE installing, the phase, and the reason when the install failed.
   */
  public static void installing(List<InstallingNode> installs, PrintWriter out) {
    List<String[]> rows = new ArrayList<>();
    rows.add(
        new String[] {
          "TOKEN", "HOSTNAME", "PROFILE", "CLUSTER", "ARCH", "STATE", "PHASE", "UPDATED", "REASON"
        });
    for (InstallingNode i : installs) {
      rows.add(
          new String[] {
            i.getTokenId(),
            dash(i.getHostname()),
            dash(i.getProfile()),
            dash(i.getCluster()),
            dash(i.getArch()),
            "installing",
            i.getPhase(),
            time(i.getUpdatedAt()),
            i.getPhase().equals("failed") ? dash(oneLine(i.getMessage())) : "-"
          });
    }
    print(rows, out);
  }

  // The controller refuses control characters; a terminal is protected even from an old one.
  private static String oneLine(String s) {
    return s.replaceAll("[\\p{Cntrl}]", "?");
  }

  /** Everything known of one node, facts included. */
  public static void show(NodeRecord n, PrintWriter out) {
    out.println("id:            " + n.getNodeId());
    out.println("hostname:      " + n.getHostname());
    out.println("profile:       " + dash(n.getProfile()));
    out.println("cluster:       " + dash(n.getCluster()));
    out.println("arch:          " + dash(n.getArch()));
    out.println("agent version: " + dash(n.getAgentVersion()));
    out.println("state:         " + state(n));
    out.println("agent address: " + dash(n.getAgentAddress()));
    out.println("enrolled at:   " + time(n.getEnrolledAt()));
    out.println("last seen:     " + (n.hasLastSeen() ? time(n.getLastSeen()) : "never"));
    out.println(
        "certificate:   "
            + dash(n.getCertificateSerial())
            + (n.hasCertificateNotAfter() ? " until " + time(n.getCertificateNotAfter()) : ""));
    if (n.hasLastStatus()) {
      out.println("health:        " + health(n) + "  " + n.getLastStatus().getSummary());
    }
    if (!n.hasFacts()) {
      out.println("facts:         none reported yet");
      return;
    }
    HardwareFacts f = n.getFacts();
    out.println("facts:");
    out.println(
        "  os:          " + dash(f.getOs()) + " (kernel " + dash(f.getKernelVersion()) + ")");
    out.println(
        "  system:      "
            + dash(f.getDmi().getSystemVendor())
            + " "
            + f.getDmi().getSystemProduct()
            + (f.getDmi().getSystemSerial().isEmpty()
                ? ""
                : " serial " + f.getDmi().getSystemSerial()));
    out.println(
        "  board/bios:  "
            + dash(f.getDmi().getBoardName())
            + " / "
            + dash(f.getDmi().getBiosVendor())
            + " "
            + f.getDmi().getBiosVersion());
    out.println(
        "  cpu:         "
            + dash(f.getCpu().getModel())
            + ", "
            + f.getCpu().getCores()
            + " cores / "
            + f.getCpu().getThreads()
            + " threads"
            + (f.getCpu().getVirtualization().isEmpty()
                ? ", no virtualisation"
                : ", virtualisation " + f.getCpu().getVirtualization()));
    out.println("  memory:      " + bytes(f.getMemoryBytes()));
    out.println("  disks:       " + f.getDisksCount());
    for (DiskFacts d : f.getDisksList()) {
      out.println(
          "    "
              + d.getName()
              + "  "
              + bytes(d.getSizeBytes())
              + "  "
              + (d.getRotational() ? "hdd" : "ssd")
              + "  "
              + dash(d.getTransport())
              + "  "
              + dash(d.getModel())
              + "  "
              + dash(d.getSerial()));
    }
    out.println("  nics:        " + f.getNicsCount());
    for (NicFacts nic : f.getNicsList()) {
      out.println(
          "    "
              + nic.getName()
              + "  "
              + dash(nic.getMac())
              + "  "
              + (nic.getLinkUp() ? "up" : "down")
              + "  "
              + (nic.getSpeedMbps() == 0 ? "-" : nic.getSpeedMbps() + " Mb/s")
              + "  "
              + dash(nic.getDriver()));
    }
  }

  /** Proto3 JSON of a message (field names as in the .proto, defaults included). */
  public static String json(MessageOrBuilder message) {
    try {
      return JsonFormat.printer().preservingProtoFieldNames().print(message);
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalStateException("cannot print JSON: " + e.getMessage(), e);
    }
  }

  /** Prints rows as space-aligned columns; the first row is the header. */
  public static void print(List<String[]> rows, PrintWriter out) {
    int columns = rows.get(0).length;
    int[] width = new int[columns];
    for (String[] row : rows) {
      for (int i = 0; i < columns; i++) {
        width[i] = Math.max(width[i], row[i].length());
      }
    }
    for (String[] row : rows) {
      StringBuilder line = new StringBuilder();
      for (int i = 0; i < columns; i++) {
        line.append(row[i]);
        if (i < columns - 1) {
          line.append(" ".repeat(width[i] - row[i].length() + 2));
        }
      }
      out.println(line.toString().stripTrailing());
    }
  }

  private static String state(NodeRecord n) {
    String state = n.getEnrolment() == EnrolmentState.ENROLMENT_REVOKED ? "revoked" : "active";
    return n.getStale() ? state + ",stale" : state;
  }

  private static String health(NodeRecord n) {
    return n.getLastStatus().getState().name().replace("HEALTH_", "");
  }

  static String time(Timestamp t) {
    return Instant.ofEpochSecond(t.getSeconds()).toString();
  }

  private static String dash(String s) {
    return s == null || s.isEmpty() ? "-" : s;
  }

  private static String bytes(long n) {
    if (n <= 0) {
      return "-";
    }
    String[] units = {"B", "KiB", "MiB", "GiB", "TiB", "PiB"};
    double value = n;
    int unit = 0;
    while (value >= 1024 && unit < units.length - 1) {
      value /= 1024;
      unit++;
    }
    return String.format(java.util.Locale.ROOT, "%.1f %s", value, units[unit]);
  }
}
