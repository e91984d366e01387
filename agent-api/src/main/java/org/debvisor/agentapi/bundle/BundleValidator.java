package org.debvisor.agentapi.bundle;

import com.google.protobuf.ByteString;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.regex.Pattern;
import org.debvisor.agentapi.ConfigSettings;
import org.debvisor.common.digest.Sha256;
import org.debvisor.common.violation.Violation;
import org.debvisor.proto.ConfigBundle;
import org.debvisor.proto.ConfigFile;

/**
 * Checks a bundle's version and files against the agent's rules without touching the disk, so the
 * agent and a controller refuse the same bundles with the same violations.
 *
 * <p>A bundle with no files or more than {@code maxFiles} is refused on its count alone, before any
 * file is looked at; every other check costs time proportional to the bundle's size. Services and
 * the health gate are not checked here, nor whether a target's directories resolve inside an
 * allowed root (the agent does that on its disk just before writing). Thread-safe.
 */
public final class BundleValidator {

  private static final Pattern VERSION = Pattern.compile("[A-Za-z0-9._:-]{1,64}");
  private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");
  private static final Pattern ACCOUNT_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_.-]{0,31}\\$?");
  private static final int NAME_MAX = 255;
  private static final int PATH_MAX = 4095;

  private final ConfigSettings settings;
  private final AllowedRoots roots;
  private final Path stateDir;
  private final AccountLookup accounts;

  /**
   * @param settings the agent's {@code config} settings (roots, state directory, limits)
   * @param accounts where owner and group names are looked up; {@link AccountLookup#UNCHECKED}
   *     where the node's accounts are unknown
   */
  public BundleValidator(ConfigSettings settings, AccountLookup accounts) {
    this.settings = settings;
    this.roots = new AllowedRoots(settings.allowedRoots());
    this.stateDir = settings.stateDir().toAbsolutePath().normalize();
    this.accounts = accounts;
  }

  /** Every violation in the bundle, in field order, or an empty list when it may be applied. */
  public List<Violation> validate(ConfigBundle bundle) {
    List<Violation> out = new ArrayList<>();
    if (bundle.getVersion().isEmpty()) {
      out.add(new Violation("bundle.version", "required"));
    } else if (!VERSION.matcher(bundle.getVersion()).matches()) {
      out.add(new Violation("bundle.version", "must be 1-64 characters of [A-Za-z0-9._:-]"));
    }
    int count = bundle.getFilesCount();
    if (count == 0) {
      out.add(new Violation("bundle.files", "at least one file is required"));
      return List.copyOf(out);
    }
    if (count > settings.maxFiles()) {
      // Refused before any per-file work, so an oversized bundle costs next to nothing.
      out.add(
          new Violation(
              "bundle.files",
              "at most " + settings.maxFiles() + " files, got " + count + "; split the bundle"));
      return List.copyOf(out);
    }
    long total = 0;
    PathTree paths = new PathTree();
    for (int i = 0; i < count; i++) {
      ConfigFile file = bundle.getFiles(i);
      String prefix = "bundle.files[" + i + "].";
      if (checkPath(file.getPath(), prefix + "path", out)) {
        paths
            .add(file.getPath(), i)
            .ifPresent(rule -> out.add(new Violation(prefix + "path", rule)));
      }
      checkMode(file.getMode(), prefix + "mode", out);
      checkAccount(file.getOwner(), AccountLookup.Kind.USER, prefix + "owner", out);
      checkAccount(file.getGroup(), AccountLookup.Kind.GROUP, prefix + "group", out);
      int size = file.getContent().size();
      total += size;
      if (size > settings.maxFileBytes()) {
        out.add(
            new Violation(
                prefix + "content",
                "larger than " + settings.maxFileBytes() + " bytes (" + size + ")"));
      }
      checkSha256(file.getSha256(), file.getContent(), prefix + "sha256", out);
    }
    if (total > settings.maxBundleBytes()) {
      out.add(
          new Violation(
              "bundle.files",
              "total content larger than " + settings.maxBundleBytes() + " bytes (" + total + ")"));
    }
    return List.copyOf(out);
  }

  /** The file's mode with 0 read as 0644. */
  public static int effectiveMode(int mode) {
    return mode == 0 ? 0644 : mode;
  }

  /** Lower-case hex SHA-256 of the bytes, as a bundle file's {@code sha256} must give it. */
  public static String sha256Hex(ByteString content) {
    return Sha256.hex(content.asReadOnlyByteBufferList());
  }

  /** Whether the path passed; a broken rule is added to {@code out}. */
  private boolean checkPath(String raw, String field, List<Violation> out) {
    Optional<String> problem = pathProblem(raw);
    problem.ifPresent(rule -> out.add(new Violation(field, rule)));
    return problem.isEmpty();
  }

  private Optional<String> pathProblem(String raw) {
    if (raw.isEmpty()) {
      return Optional.of("required");
    }
    if (raw.indexOf('\0') >= 0) {
      return Optional.of("must not contain NUL");
    }
    if (raw.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
      return Optional.of("must not contain control characters");
    }
    if (!raw.startsWith("/")) {
      return Optional.of("must be absolute");
    }
    if (raw.endsWith("/")) {
      return Optional.of("must name a file, not end with /");
    }
    if (raw.contains("//")) {
      return Optional.of("must be normalised (no //)");
    }
    for (String segment : raw.substring(1).split("/")) {
      if (segment.equals(".") || segment.equals("..")) {
        return Optional.of("must be normalised (no . or .. segments)");
      }
      if (segment.getBytes(StandardCharsets.UTF_8).length > NAME_MAX) {
        return Optional.of("has a segment longer than " + NAME_MAX + " bytes");
      }
    }
    if (raw.getBytes(StandardCharsets.UTF_8).length > PATH_MAX) {
      return Optional.of("longer than " + PATH_MAX + " bytes");
    }
    Path path;
    try {
      path = Path.of(raw);
    } catch (InvalidPathException e) {
      return Optional.of("cannot be represented as a file name on this node");
    }
    if (roots.isRoot(path)) {
      return Optional.of("is an allowed root itself, not a file under it");
    }
    if (roots.rootOf(path).isEmpty()) {
      return Optional.of("must lie under one of the allowed roots: " + roots.describe());
    }
    if (path.startsWith(stateDir) || stateDir.startsWith(path)) {
      return Optional.of("must not touch the agent's state directory");
    }
    return Optional.empty();
  }

  private static void checkMode(int mode, String field, List<Violation> out) {
    if (Integer.compareUnsigned(mode, 0777) > 0) {
      out.add(
          new Violation(
              field,
              "must be at most 0777 (no setuid, setgid or sticky bits), got 0"
                  + Integer.toOctalString(mode)));
    }
  }

  private void checkAccount(
      String name, AccountLookup.Kind kind, String field, List<Violation> out) {
    if (name.isEmpty()) {
      return;
    }
    OptionalLong id = NumericAccountId.of(name);
    if (id.isPresent()) {
      if (id.getAsLong() > Integer.MAX_VALUE) {
        out.add(new Violation(field, "numeric " + kind.word() + " id out of range"));
      }
      return;
    }
    if (!ACCOUNT_NAME.matcher(name).matches()) {
      out.add(new Violation(field, "must be empty, a numeric id or a " + kind.word() + " name"));
      return;
    }
    try {
      if (!accounts.exists(kind, name)) {
        out.add(new Violation(field, "no " + kind.word() + " named " + name + " on this node"));
      }
    } catch (IOException e) {
      out.add(new Violation(field, "cannot look up " + kind.word() + " " + name + ": " + e));
    }
  }

  private static void checkSha256(
      String sha256, ByteString content, String field, List<Violation> out) {
    if (!SHA256.matcher(sha256).matches()) {
      out.add(new Violation(field, "must be 64 lower-case hex characters"));
    } else if (!sha256.equals(sha256Hex(content))) {
      out.add(new Violation(field, "does not match the content"));
    }
  }
}
