package org.debvisor.agent.enrol;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.PrivateKey;
import java.util.Optional;
import java.util.Set;
import org.debvisor.common.pem.Pem;
import org.debvisor.common.tls.NodeCredentials;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's credentials on disk: {@code node.key} (0600), {@code node.pem} and {@code ca.pem} in
 * the state directory, each replaced atomically and fsynced.
 *
 * <p>A new key is first written as {@code node.key.next}, then the certificate, then the key is
 * renamed into place; a crash in between leaves a pair that {@link #load()} completes.
 */
public final class CredentialStore {

  private static final Logger log = LoggerFactory.getLogger(CredentialStore.class);
  private static final Set<PosixFilePermission> OWNER_ONLY =
      PosixFilePermissions.fromString("rw-------");
  private static final Set<PosixFilePermission> PUBLIC =
      PosixFilePermissions.fromString("rw-r--r--");

  private final Path dir;

  public CredentialStore(Path stateDir) {
    this.dir = stateDir;
  }

  public Path keyFile() {
    return dir.resolve("node.key");
  }

  public Path certificateFile() {
    return dir.resolve("node.pem");
  }

  public Path caFile() {
    return dir.resolve("ca.pem");
  }

  private Path nextKeyFile() {
    return dir.resolve("node.key.next");
  }

  /**
   * The stored credentials, when a matching key and certificate are there.
   *
   * @throws IOException when files exist but cannot be read or parsed
   */
  public Optional<NodeCredentials> load() throws IOException {
    String certPem;
    String caPem;
    try {
      certPem = Files.readString(certificateFile(), StandardCharsets.US_ASCII);
      caPem = Files.readString(caFile(), StandardCharsets.US_ASCII);
    } catch (NoSuchFileException e) {
      return Optional.empty();
    }
    var chain = Pem.certificates(certPem);
    var cas = Pem.certificates(caPem);
    for (Path candidate : new Path[] {keyFile(), nextKeyFile()}) {
      if (!Files.exists(candidate)) {
        continue;
      }
      PrivateKey key = Pem.privateKey(Files.readString(candidate, StandardCharsets.US_ASCII));
      if (NodeCredentials.keyMatches(key, chain.get(0))) {
        if (candidate.equals(nextKeyFile())) {
          // A renewal stopped after storing its certificate: finish it.
          Files.move(nextKeyFile(), keyFile(), StandardCopyOption.ATOMIC_MOVE);
          fsyncDirectory();
        }
        return Optional.of(new NodeCredentials(key, chain, cas));
      }
    }
    log.warn(
        "{} does not belong to the key in {}; the node must enrol again",
        certificateFile(),
        keyFile());
    return Optional.empty();
  }

  /** Stores new credentials (first enrolment or renewal). */
  public void save(NodeCredentials credentials) throws IOException {
    Files.createDirectories(dir);
    try {
      Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
    } catch (UnsupportedOperationException e) {
      // not a POSIX filesystem: the key file's own mode below is all we can do
    }
    writeAtomically(nextKeyFile(), pem(Pem.encode(credentials.key())), OWNER_ONLY);
    writeAtomically(caFile(), pem(Pem.encode(credentials.caBundle())), PUBLIC);
    writeAtomically(certificateFile(), pem(Pem.encode(credentials.chain())), PUBLIC);
    Files.move(
        nextKeyFile(),
        keyFile(),
        StandardCopyOption.ATOMIC_MOVE,
        StandardCopyOption.REPLACE_EXISTING);
    fsyncDirectory();
  }

  private static byte[] pem(String text) {
    return text.getBytes(StandardCharsets.US_ASCII);
  }

  /**
   * Temp file created with its final mode (a key is never readable by others, even briefly), fsync,
   * rename, fsync directory.
   */
  private void writeAtomically(Path file, byte[] data, Set<PosixFilePermission> mode)
      throws IOException {
    Path temp = file.resolveSibling(file.getFileName() + ".tmp");
    Files.deleteIfExists(temp);
    Files.createFile(temp, PosixFilePermissions.asFileAttribute(mode));
    // The umask may have taken bits away from a public file; a key's 0600 it can only keep.
    Files.setPosixFilePermissions(temp, mode);
    try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE)) {
      ByteBuffer buffer = ByteBuffer.wrap(data);
      while (buffer.hasRemaining()) {
        channel.write(buffer);
      }
      channel.force(true);
    }
    Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    fsyncDirectory();
  }

  private void fsyncDirectory() throws IOException {
    try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
      channel.force(true);
    }
  }
}
