package org.debvisor.controller.ssh;

import java.nio.file.Path;
import java.util.List;

/**
 * The known_hosts files a host key is checked against, in order, and the one a key trusted on first
 * use is recorded in.
 *
 * @param checked files read (missing ones know no host)
 * @param recordIn file newly trusted keys are appended to (one of {@code checked})
 */
public record KnownHosts(List<KnownHostsFile> checked, KnownHostsFile recordIn) {

  /** OpenSSH's global file, read after the user's. */
  public static final Path GLOBAL = Path.of("/etc/ssh/ssh_known_hosts");

  public KnownHosts {
    checked = List.copyOf(checked);
    if (checked.isEmpty()) {
      throw new IllegalArgumentException("at least one known_hosts file is needed");
    }
  }

  /** Only {@code file}: checked and recorded in. */
  public static KnownHosts only(KnownHostsFile file) {
    return new KnownHosts(List.of(file), file);
  }

  /**
   * OpenSSH's defaults: {@code HOME/.ssh/known_hosts}, then {@code global}; new keys go to the
   * user's file.
   */
  public static KnownHosts openSshDefaults(Path home, Path global) {
    KnownHostsFile user = new KnownHostsFile(home.resolve(".ssh/known_hosts"));
    return new KnownHosts(List.of(user, new KnownHostsFile(global)), user);
  }

  /** The files as a list for messages: {@code a, b}. */
  String describe() {
    return String.join(", ", checked.stream().map(f -> f.path().toString()).toList());
  }
}
