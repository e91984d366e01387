package org.debvisor.controller.ssh;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.LongConsumer;
import org.debvisor.common.digest.Sha256;

/**
 * Installs files on a host atomically: nothing happens when the file already has the same SHA-256
 * and mode; otherwise the content goes by SFTP to a private staging directory ({@code
 * ~/.debvisor-staging}, mode 0700), is checked against its SHA-256, copied next to the destination
 * under a temporary name and renamed over it. A cut connection leaves the old file.
 */
public final class RemoteFiles {

  private static final String STAGING = ".debvisor-staging";

  private final RemoteShell shell;
  private final LongConsumer uploadProgress;
  private String home;

  /**
   * @param uploadProgress told the bytes sent so far during each upload (for progress output and
   *     fault injection in tests)
   */
  public RemoteFiles(RemoteShell shell, LongConsumer uploadProgress) {
    this.shell = shell;
    this.uploadProgress = uploadProgress;
  }

  /** Installs {@code content} at {@code dest}; returns false when it was already there. */
  public boolean put(byte[] content, String dest, String mode) throws SshException {
    return put(
        new Source(Sha256.hex(content), () -> new ByteArrayInputStream(content)), dest, mode);
  }

  /** Installs the file {@code local} at {@code dest}; returns false when it was already there. */
  public boolean put(Path local, String dest, String mode) throws SshException {
    String sha;
    try (InputStream in = Files.newInputStream(local)) {
      sha = Sha256.hex(in);
    } catch (IOException e) {
      throw new SshException("cannot read " + local + ": " + e.getMessage(), e);
    }
    return put(new Source(sha, () -> Files.newInputStream(local)), dest, mode);
  }

  private boolean put(Source source, String dest, String mode) throws SshException {
    if (!dest.startsWith("/") || dest.contains("\n") || !mode.matches("0?[0-7]{3}")) {
      throw new IllegalArgumentException("bad destination or mode: " + dest + " " + mode);
    }
    String q = ShellWords.quote(dest);
    ExecResult current =
        shell
            .run("if [ -f " + q + " ]; then sha256sum " + q + "; stat -c %a " + q + "; fi")
            .orThrow();
    String[] lines = current.stdout().strip().split("\n");
    if (lines.length == 2
        && lines[0].startsWith(source.sha256())
        && Integer.parseInt(lines[1].strip(), 8) == Integer.parseInt(mode, 8)) {
      return false;
    }
    String staged = home() + "/" + STAGING + "/" + source.sha256().substring(0, 16) + ".part";
    try (InputStream in = source.open()) {
      shell.connection().upload(in, staged, uploadProgress);
    } catch (IOException e) {
      throw new SshException("cannot read the file to upload: " + e.getMessage(), e);
    }
    String s = ShellWords.quote(staged);
    String tmp = ShellWords.quote(dest + ".debvisor-new");
    String script =
        "set -e\n"
            + "if ! echo "
            + source.sha256()
            + "'  '"
            + s
            + " | sha256sum -c --status; then echo 'upload of "
            + dest.replace("'", "")
            + " arrived damaged (SHA-256 differs)' >&2; rm -f "
            + s
            + "; exit 3; fi\n"
            + "mkdir -p \"$(dirname "
            + q
            + ")\"\n"
            + "install -m "
            + mode
            + " -o root -g root "
            + s
            + " "
            + tmp
            + "\n"
            + "sync "
            + tmp
            + "\n"
            + "mv -f "
            + tmp
            + " "
            + q
            + "\n"
            + "rm -f "
            + s
            + "\n";
    shell.run(script).orThrow();
    return true;
  }

  /** The login's home, with the private staging directory created. */
  private String home() throws SshException {
    if (home == null) {
      // Runs as the login user (not through sudo): SFTP writes as that user.
      ExecResult r =
          shell
              .connection()
              .exec(
                  "mkdir -p " + STAGING + " && chmod 700 " + STAGING + " && pwd",
                  java.time.Duration.ofSeconds(30))
              .orThrow();
      home = r.stdout().strip();
      if (!home.startsWith("/")) {
        throw new SshException("cannot find the home directory of " + shell.connection().target());
      }
    }
    return home;
  }

  private interface Opener {
    InputStream open() throws IOException;
  }

  private record Source(String sha256, Opener opener) {
    InputStream open() throws IOException {
      return opener.open();
    }
  }
}
