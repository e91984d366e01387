package org.debvisor.controller.ssh;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Which keys may authenticate: key files and/or a running ssh-agent.
 *
 * @param files private key files tried, in order
 * @param explicit true when the operator named the files (a missing one is then an error); false
 *     for OpenSSH's defaults, of which only the existing ones count
 * @param agentSocket the ssh-agent's socket ({@code $SSH_AUTH_SOCK}), if one is to be used
 */
public record Identities(List<Path> files, boolean explicit, Optional<Path> agentSocket) {

  /** OpenSSH's default identities, in the order ssh tries them. */
  public static final List<String> DEFAULT_NAMES = List.of("id_ed25519", "id_ecdsa", "id_rsa");

  public Identities {
    files = List.copyOf(files);
  }

  /** Exactly the key in {@code file}; no agent. */
  public static Identities only(Path file) {
    return new Identities(List.of(file), true, Optional.empty());
  }

  /**
   * OpenSSH's conventions: {@code keyFiles} when given, else {@code HOME/.ssh/id_ed25519, id_ecdsa,
   * id_rsa}; plus the agent at {@code $SSH_AUTH_SOCK} when that is set.
   */
  public static Identities openSshDefaults(
      List<Path> keyFiles, Path home, Map<String, String> env) {
    String sock = env.get("SSH_AUTH_SOCK");
    Optional<Path> agent =
        sock == null || sock.isBlank() ? Optional.empty() : Optional.of(Path.of(sock));
    if (!keyFiles.isEmpty()) {
      return new Identities(keyFiles, true, agent);
    }
    return new Identities(
        DEFAULT_NAMES.stream().map(n -> home.resolve(".ssh").resolve(n)).toList(), false, agent);
  }
}
