package org.debvisor.controller.ssh;

import java.security.PublicKey;
import java.util.ArrayList;
import java.util.List;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.config.keys.OpenSshCertificate;

/**
 * Strict host-key checking of one host (a jump host or the target): the presented key must be in
 * one of the known_hosts files, or be a host certificate signed by a {@code @cert-authority} key
 * for the host (MINA has already checked the certificate's signature, validity and principals);
 * {@code @revoked} keys are refused. An unknown host is refused unless new keys may be accepted,
 * then its key is recorded. Keeps its verdict so the connector can explain a refusal (MINA only
 * sees true/false).
 */
final class HostKeyCheck {

  /** What the check decided. */
  enum Verdict {
    NOT_CHECKED,
    KNOWN,
    ACCEPTED_NEW,
    MISMATCH,
    REVOKED,
    UNKNOWN_REFUSED,
    ERROR
  }

  private record Found(KnownHostsFile file, KnownHostsFile.Entry entry) {}

  private final KnownHosts knownHosts;
  private final String label;
  private final String host;
  private final int port;
  private final boolean acceptNew;
  private volatile Verdict verdict = Verdict.NOT_CHECKED;
  private volatile String explanation = "";
  private volatile String acceptedLine;

  /**
   * @param label how the operator named the host, for messages
   * @param host the host name or address connected to (after ssh_config), as known_hosts has it
   */
  HostKeyCheck(KnownHosts knownHosts, String label, String host, int port, boolean acceptNew) {
    this.knownHosts = knownHosts;
    this.label = label;
    this.host = host;
    this.port = port;
    this.acceptNew = acceptNew;
  }

  boolean verify(PublicKey presented) {
    try {
      List<Found> entries = new ArrayList<>();
      for (KnownHostsFile file : knownHosts.checked()) {
        for (KnownHostsFile.Entry e : file.entriesFor(host, port)) {
          entries.add(new Found(file, e));
        }
      }
      OpenSshCertificate cert = presented instanceof OpenSshCertificate c ? c : null;
      // A certificate's own key is checked like a plain key when no authority vouches for it,
      // as OpenSSH does.
      PublicKey plain = cert == null ? presented : cert.getCertPubKey();
      for (Found f : entries) {
        boolean hit =
            KeyUtils.compareKeys(f.entry().key(), plain)
                || (cert != null && KeyUtils.compareKeys(f.entry().key(), cert.getCaPubKey()));
        if (f.entry().revoked() && hit) {
          return refuse(
              Verdict.REVOKED,
              "host key of "
                  + label
                  + " ("
                  + describe(presented)
                  + ") is marked @revoked in "
                  + f.file().path()
                  + " line "
                  + f.entry().lineNumber()
                  + "; nothing was sent to it. Use another host key on the host (and record that"
                  + " one), or remove the @revoked line if it was a mistake.");
        }
      }
      if (cert != null
          && entries.stream()
              .anyMatch(
                  f ->
                      f.entry().certAuthority()
                          && KeyUtils.compareKeys(f.entry().key(), cert.getCaPubKey()))) {
        verdict = Verdict.KNOWN;
        return true;
      }
      List<Found> valid =
          entries.stream().filter(f -> !f.entry().revoked() && !f.entry().certAuthority()).toList();
      if (valid.stream().anyMatch(f -> KeyUtils.compareKeys(f.entry().key(), plain))) {
        verdict = Verdict.KNOWN;
        return true;
      }
      if (!valid.isEmpty()) {
        StringBuilder b = new StringBuilder();
        b.append("HOST KEY MISMATCH for ")
            .append(label)
            .append(": the server presented ")
            .append(describe(presented))
            .append(", but known_hosts expects:");
        for (Found f : valid) {
          b.append("\n  ")
              .append(KeyUtils.getKeyType(f.entry().key()))
              .append(' ')
              .append(KeyUtils.getFingerPrint(f.entry().key()))
              .append(" (")
              .append(f.file().path())
              .append(" line ")
              .append(f.entry().lineNumber())
              .append(": ")
              .append(abbreviate(f.entry().line()))
              .append(')');
        }
        b.append(
            "\nThe host may have been reinstalled, or someone is intercepting the connection."
                + " Nothing was sent to it. If the change is expected, verify the new fingerprint"
                + " out of band and replace the line in known_hosts.");
        return refuse(Verdict.MISMATCH, b.toString());
      }
      String where = knownName();
      if (!acceptNew) {
        return refuse(
            Verdict.UNKNOWN_REFUSED,
            (label.startsWith("jump host") ? "" : "host ")
                + label
                + (label.equals(where) ? "" : " (" + where + ")")
                + " is not in "
                + knownHosts.describe()
                + " (it presented "
                + describe(presented)
                + "). Verify that fingerprint out of band (ssh-keygen -lf"
                + " /etc/ssh/ssh_host_*_key.pub on the host) and add the host to known_hosts, or"
                + " pass --accept-new-host-key to trust it on first use.");
      }
      acceptedLine = knownHosts.recordIn().append(where, plain);
      verdict = Verdict.ACCEPTED_NEW;
      explanation =
          "accepted new host key "
              + describe(plain)
              + " for "
              + label
              + " and added it to "
              + knownHosts.recordIn().path();
      return true;
    } catch (SshException e) {
      return refuse(Verdict.ERROR, e.getMessage());
    }
  }

  /** The host as known_hosts writes it: {@code host}, or {@code [host]:port} off port 22. */
  private String knownName() {
    return port == 22 ? host : "[" + host + "]:" + port;
  }

  private static String describe(PublicKey key) {
    if (key instanceof OpenSshCertificate cert) {
      return "a "
          + KeyUtils.getKeyType(cert.getCertPubKey())
          + " certificate of key "
          + KeyUtils.getFingerPrint(cert.getCertPubKey())
          + " signed by "
          + KeyUtils.getFingerPrint(cert.getCaPubKey());
    }
    return KeyUtils.getKeyType(key) + " " + KeyUtils.getFingerPrint(key);
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

  boolean refused() {
    return verdict == Verdict.MISMATCH
        || verdict == Verdict.REVOKED
        || verdict == Verdict.UNKNOWN_REFUSED
        || verdict == Verdict.ERROR;
  }

  String explanation() {
    return explanation;
  }

  /** The known_hosts line written for a newly accepted key, or null. */
  String acceptedLine() {
    return acceptedLine;
  }
}
