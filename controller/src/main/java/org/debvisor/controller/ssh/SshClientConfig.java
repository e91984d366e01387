package org.debvisor.controller.ssh;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.sshd.client.config.hosts.ConfigFileHostEntryResolver;
import org.apache.sshd.client.config.hosts.HostConfigEntry;
import org.apache.sshd.client.config.hosts.HostConfigEntryResolver;
import org.debvisor.common.error.Causes;

/**
 * An OpenSSH client configuration file ({@code ~/.ssh/config}) read with MINA's own parser: Host
 * patterns, HostName, User, Port, IdentityFile, ProxyJump. A missing file configures nothing, as
 * with OpenSSH.
 */
public final class SshClientConfig {

  /** No configuration file: every host is taken as written. */
  public static final SshClientConfig NONE = new SshClientConfig(null);

  private final Path file;
  private final HostConfigEntryResolver resolver;

  private SshClientConfig(Path file) {
    this.file = file;
    this.resolver =
        file == null ? HostConfigEntryResolver.EMPTY : new ConfigFileHostEntryResolver(file);
  }

  /** The configuration in {@code file} (which need not exist). */
  public static SshClientConfig file(Path file) {
    return new SshClientConfig(file);
  }

  /** The file read, or null. */
  public Path path() {
    return file;
  }

  HostConfigEntryResolver resolver() {
    return resolver;
  }

  /**
   * Where {@code target} really goes: user and port as written win, then the file's values, then
   * root and 22.
   *
   * @throws SshException when the file cannot be read or parsed (naming it)
   */
  public ResolvedHost resolve(SshTarget target) throws SshException {
    if (file == null || !Files.exists(file)) {
      return new ResolvedHost(target.user(), target.host(), target.port(), List.of(), null);
    }
    try {
      HostConfigEntry entry =
          resolver.resolveEffectiveHost(
              target.host(),
              target.portGiven() ? target.port() : 0,
              null,
              target.userGiven() ? target.user() : null,
              null,
              null);
      if (entry == null) {
        return new ResolvedHost(target.user(), target.host(), target.port(), List.of(), null);
      }
      // MINA fills in the local login name when the file names no User; DebVisor's default is root.
      boolean fileNamesUser =
          HostConfigEntry.findMatchingEntries(
                  target.host(), HostConfigEntry.readHostConfigEntries(file))
              .stream()
              .anyMatch(e -> e.getUsername() != null && !e.getUsername().isBlank());
      String user = target.userGiven() || !fileNamesUser ? target.user() : entry.getUsername();
      String hostName =
          entry.getHostName() == null || entry.getHostName().isBlank()
              ? target.host()
              : entry.getHostName();
      int port = target.portGiven() || entry.getPort() <= 0 ? target.port() : entry.getPort();
      List<Path> identities =
          entry.getIdentities() == null
              ? List.of()
              : entry.getIdentities().stream().map(Path::of).toList();
      String jump = entry.getProxyJump();
      return new ResolvedHost(
          user, hostName, port, identities, jump == null || jump.isBlank() ? null : jump);
    } catch (IOException | RuntimeException e) {
      throw new SshException(
          "cannot use the SSH client configuration "
              + file
              + ": "
              + Causes.rootMessage(e)
              + " (fix the file, or pass --ssh-config none to ignore it)",
          e);
    }
  }

  /**
   * Where a host alias leads.
   *
   * @param user login name
   * @param hostName name or address connected to (and looked up in known_hosts)
   * @param port TCP port
   * @param identityFiles the file's IdentityFile values for the host (empty: none named)
   * @param proxyJump the file's ProxyJump value, or null
   */
  public record ResolvedHost(
      String user, String hostName, int port, List<Path> identityFiles, String proxyJump) {

    public ResolvedHost {
      identityFiles = List.copyOf(identityFiles);
    }
  }
}
