package org.debvisor.controller.ssh;

import java.net.SocketAddress;
import java.security.PublicKey;
import java.util.List;
import org.apache.sshd.client.keyverifier.ServerKeyVerifier;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.common.config.keys.KeyUtils;

/**
 * Strict host-key checking for one connection: the presented key must be in known_hosts; an unknown
 * host is refused unless new keys may be accepted, then its key is recorded. Keeps its verdict so
 * the connector can explain a refusal (MINA only sees true/false).
 */
final class HostKeyCheck implements ServerKeyVerifier {

  /** What the check decided. */
  enum Verdict {
    NOT_CHECKED,
    KNOWN,
    ACCEPTED_NEW,
    MISMATCH,
    UNKNOWN_REFUSED,
    ERROR
  }

  private final KnownHostsFile knownHosts;
  private final SshTarget target;
  private final boolean acceptNew;
  private volatile Verdict verdict = Verdict.NOT_CHECKED;
  private volatile String explanation = "";
  private volatile String acceptedLine;

  HostKeyCheck(KnownHostsFile knownHosts, SshTarget target, boolean acceptNew) {
    this.knownHosts = knownHosts;
    this.target = target;
    this.acceptNew = acceptNew;
  }

  @Override
  public boolean verifyServerKey(ClientSession session, SocketAddress remote, PublicKey presented) {
    String presentedFp = KeyUtils.getFingerPrint(presented);
    try {
      List<KnownHostsFile.Entry> entries = knownHosts.entriesFor(target.host(), target.port());
      for (KnownHostsFile.Entry e : entries) {
        if (e.revoked() && KeyUtils.compareKeys(e.key(), presented)) {
          return refuse(
              Verdict.MISMATCH,
              "host key of "
                  + target
                  + " ("
                  + presentedFp
                  + ") is marked @revoked in "
                  + knownHosts.path()
                  + " line "
                  + e.lineNumber());
        }
      }
      List<KnownHostsFile.Entry> valid = entries.stream().filter(e -> !e.revoked()).toList();
      if (valid.stream().anyMatch(e -> KeyUtils.compareKeys(e.key(), presented))) {
        verdict = Verdict.KNOWN;
        return true;
      }
      if (!valid.isEmpty()) {
        StringBuilder b = new StringBuilder();
        b.append("HOST KEY MISMATCH for ")
            .append(target)
            .append(": the server presented ")
            .append(KeyUtils.getKeyType(presented))
            .append(' ')
            .append(presentedFp)
            .append(", but ")
            .append(knownHosts.path())
            .append(" expects:");
        for (KnownHostsFile.Entry e : valid) {
          b.append("\n  ")
              .append(KeyUtils.getKeyType(e.key()))
              .append(' ')
              .append(KeyUtils.getFingerPrint(e.key()))
              .append(" (line ")
              .append(e.lineNumber())
              .append(": ")
              .append(abbreviate(e.line()))
              .append(')');
        }
        b.append(
            "\nThe host may have been reinstalled, or someone is intercepting the connection."
                + " Nothing was sent to it. If the change is expected, verify the new fingerprint"
                + " out of band and replace the line in known_hosts.");
        return refuse(Verdict.MISMATCH, b.toString());
      }
      if (!acceptNew) {
        return refuse(
            Verdict.UNKNOWN_REFUSED,
            "host "
                + target
                + " is not in "
                + knownHosts.path()
                + " (it presented "
                + KeyUtils.getKeyType(presented)
                + " "
                + presentedFp
                + "). Verify that fingerprint out of band (ssh-keygen -lf"
                + " /etc/ssh/ssh_host_*_key.pub on the host) and add the host to known_hosts, or"
                + " pass --accept-new-host-key to trust it on first use.");
      }
      acceptedLine = knownHosts.append(target.knownHostsName(), presented);
      verdict = Verdict.ACCEPTED_NEW;
      explanation =
          "accepted new host key "
              + KeyUtils.getKeyType(presented)
              + " "
              + presentedFp
              + " for "
              + target
              + " and added it to "
              + knownHosts.path();
      return true;
    } catch (SshException e) {
      return refuse(Verdict.ERROR, e.getMessage());
    }
  }

  private boolean refuse(Verdict v, String why) {
    verdict = v;
    explanation = why;
    return false;
  }

  private static String abbreviate(String line) {
    return line.length() <= 100
        ? line
        : line.substring(0, 60) + "..." + line.substring(line.length() - 20);
  }

  Verdict verdict() {
    return verdict;
  }

  String explanation() {
    return explanation;
  }

  /** The known_hosts line written for a newly accepted key, or null. */
  String acceptedLine() {
    return acceptedLine;
  }
}
