package org.debvisor.controller.ssh;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.util.ArrayList;
import java.util.List;
import org.apache.sshd.common.NamedResource;
import org.apache.sshd.common.util.security.SecurityUtils;
import org.debvisor.common.error.Causes;

/**
 * Loads private key files with MINA's parsers (OpenSSH and PEM). Passphrase-protected keys are not
 * decrypted here: with an ssh-agent they are left to it, without one they are refused with the
 * remedy.
 */
final class KeyFiles {

  /** Thrown by the passphrase callback: the key is encrypted. */
  private static final class Encrypted extends IOException {
    Encrypted() {
      super("protected by a passphrase");
    }
  }

  private KeyFiles() {}

  /**
   * What a set of key files gave.
   *
   * @param keys the usable keys
   * @param encrypted files that hold a passphrase-protected key (not decrypted)
   */
  record Loaded(List<KeyPair> keys, List<Path> encrypted) {
    Loaded {
      keys = List.copyOf(keys);
      encrypted = List.copyOf(encrypted);
    }
  }

  /**
   * The keys in {@code files}.
   *
   * @param explicit a missing file is an error (else it is skipped, as ssh skips absent default
   *     keys)
   * @throws SshException naming the file and what to do
   */
  static Loaded load(List<Path> files, boolean explicit) throws SshException {
    List<KeyPair> keys = new ArrayList<>();
    List<Path> encrypted = new ArrayList<>();
    for (Path file : files) {
      if (!Files.isRegularFile(file)) {
        if (explicit) {
          throw new SshException(
              "identity "
                  + file
                  + " does not exist or is not a file (give a private key file with -i)");
        }
        continue;
      }
      try (InputStream in = Files.newInputStream(file)) {
        Iterable<KeyPair> loaded =
            SecurityUtils.loadKeyPairIdentities(
                null,
                NamedResource.ofName(file.toString()),
                in,
                (session, resource, retry) -> {
                  throw new Encrypted();
                });
        int before = keys.size();
        if (loaded != null) {
          loaded.forEach(keys::add);
        }
        if (keys.size() == before) {
          throw new SshException("identity " + file + " holds no private key");
        }
      } catch (IOException | GeneralSecurityException e) {
        if (isEncrypted(e)) {
          encrypted.add(file);
          continue;
        }
        throw new SshException(
            "identity "
                + file
                + " cannot be used: "
                + Causes.rootMessage(e)
                + " (give an OpenSSH or PEM private key)",
            e);
      }
    }
    return new Loaded(keys, encrypted);
  }

  /** The refusal for passphrase-protected keys when no agent can sign for them. */
  static String passphraseRefusal(List<Path> encrypted) {
    String files = String.join(" ", encrypted.stream().map(Path::toString).toList());
    return "identity "
        + files
        + (encrypted.size() == 1 ? " is" : " are")
        + " protected by a passphrase, which DebVisor does not ask for: load "
        + (encrypted.size() == 1 ? "it" : "them")
        + " into ssh-agent (eval $(ssh-agent); ssh-add "
        + files
        + ") and run again with SSH_AUTH_SOCK set, or give an unencrypted key with -i";
  }

  private static boolean isEncrypted(Throwable e) {
    return Causes.find(e, Encrypted.class).isPresent();
  }
}
