package org.debvisor.controller.install;

import org.debvisor.agentapi.AgentPaths;
import org.debvisor.controller.node.Accounts;
import org.debvisor.controller.node.Architecture;
import org.debvisor.controller.node.NodeInstall;
import org.debvisor.controller.node.UserAccount;
import org.debvisor.controller.preseed.InstallReporter;

/**
 * Renders {@code /debvisor/install.conf}, the answer the image installer reads: one {@code KEY
 * VALUE...} per line, read with {@code read}, never evaluated by a shell. Every value comes from a
 * node.yaml that {@code NodeValidator} has checked (no line breaks, no shell syntax).
 */
final class InstallAnswer {

  /** The answer format the installer script reads ({@code format 1}). */
  public static final int FORMAT = 1;

  /** The first user's uid, as {@code useradd} would pick in a fresh image. */
  static final int FIRST_UID = 1000;

  private InstallAnswer() {}

  /** The answer for {@code node} installed from the image whose rootfs has {@code imageSha256}. */
  public static String render(
      NodeInstall node, Architecture arch, PartitionPlan plan, String imageSha256) {
    StringBuilder b =
        new StringBuilder("# DebVisor image install answer, read by the installer on the media.\n");
    line(b, "format", Integer.toString(FORMAT));
    line(b, "hostname", node.hostname());
    line(b, "domain", node.domain());
    line(b, "profile", node.profile());
    line(b, "arch", arch.debianName());
    line(b, "disk", node.disk().target());
    line(b, "disk_min_bytes", Long.toString(plan.minimumBytes()));
    line(b, "image_sha256", imageSha256);
    line(b, "timezone", node.timezone());
    line(b, "finish", node.finish());
    if (node.agent() != null) {
      // Where the installer reports its progress, and where the overlay keeps the CA and the
      // token it reports with (read from the overlay before it is unpacked).
      line(b, "report_url", InstallReporter.urlFor(node.agent()));
      line(b, "report_ca", AgentPaths.CA_FILE.substring(1));
      line(b, "report_token", AgentPaths.TOKEN_FILE.substring(1));
    }
    if (!plan.volumeGroup().isEmpty()) {
      line(b, "vg", plan.volumeGroup());
    }
    for (PlannedVolume v : plan.partitions()) {
      line(b, "part", v.answerFields());
    }
    for (PlannedVolume v : plan.logicalVolumes()) {
      line(b, "lv", v.answerFields());
    }
    Accounts accounts = node.accounts();
    UserAccount user = accounts.user();
    if (user != null) {
      String fullName = user.fullName() == null ? user.name() : user.fullName();
      line(b, "user", user.name() + " " + FIRST_UID + " " + fullName);
    }
    if (accounts.root() != null && accounts.root().passwordHash() != null) {
      line(b, "password", "root " + accounts.root().passwordHash());
    }
    if (user != null && user.passwordHash() != null) {
      line(b, "password", user.name() + " " + user.passwordHash());
    }
    return b.toString();
  }

  private static void line(StringBuilder b, String key, String value) {
    if (value.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
      throw new IllegalArgumentException(key + " holds a control character");
    }
    b.append(key).append(' ').append(value).append('\n');
  }
}
