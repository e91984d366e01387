package org.debvisor.controller.provision;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.debvisor.controller.node.Architecture;
import org.debvisor.controller.node.Profile;
import org.debvisor.controller.ssh.SshException;

/**
 * Applies the role profile: installs its packages that are missing, and writes its sysctl settings
 * and kernel modules to the same files the installer's preseed writes (they take effect at boot, so
 * provisioning never changes a running kernel shared with other tenants).
 */
final class ProfileStep implements ProvisionStep {

  static final String SYSCTL_FILE = "/etc/sysctl.d/60-debvisor.conf";
  static final String MODULES_FILE = "/etc/modules-load.d/debvisor.conf";

  @Override
  public String name() {
    return "profile";
  }

  @Override
  public StepOutcome run(NodeSession node) throws SshException, StepFailedException {
    Profile profile = node.plan().profile();
    List<String> wanted = packages(profile, node.facts().arch());
    Set<String> present = Packages.installed(node, wanted);
    List<String> missing = wanted.stream().filter(p -> !present.contains(p)).toList();
    List<String> did = new ArrayList<>();
    if (!missing.isEmpty()) {
      Packages.install(node, missing, "profile " + profile.name());
      did.add("installed " + String.join(" ", missing));
    }
    if (!profile.sysctl().isEmpty()
        && node.files().put(bytes(sysctl(profile)), SYSCTL_FILE, "0644")) {
      did.add("wrote " + SYSCTL_FILE);
    }
    if (!profile.modules().isEmpty()
        && node.files().put(bytes(modules(profile)), MODULES_FILE, "0644")) {
      did.add("wrote " + MODULES_FILE);
    }
    String summary = profile.name() + ": " + wanted.size() + " packages";
    return did.isEmpty()
        ? StepOutcome.unchanged(summary + " present, settings up to date")
        : StepOutcome.changed(summary + "; " + String.join("; ", did));
  }

  /** The profile's packages for {@code arch}, without duplicates. */
  static List<String> packages(Profile profile, String arch) {
    Architecture a =
        java.util.Arrays.stream(Architecture.values())
            .filter(x -> x.debianName().equals(arch))
            .findFirst()
            .orElse(null);
    List<String> list = a == null ? profile.packages() : profile.packagesFor(a);
    return list.stream().distinct().sorted().toList();
  }

  static String sysctl(Profile profile) {
    StringBuilder b = new StringBuilder("# DebVisor profile " + profile.name() + "\n");
    for (Map.Entry<String, String> e : new java.util.TreeMap<>(profile.sysctl()).entrySet()) {
      b.append(e.getKey()).append(" = ").append(e.getValue()).append('\n');
    }
    return b.toString();
  }

  static String modules(Profile profile) {
    StringBuilder b = new StringBuilder("# DebVisor profile " + profile.name() + "\n");
    profile.modules().forEach(m -> b.append(m).append('\n'));
    return b.toString();
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
