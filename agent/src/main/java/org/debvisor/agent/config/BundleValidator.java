package org.debvisor.agent.config;

import com.google.protobuf.ByteString;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.nio.file.attribute.UserPrincipalNotFoundException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.debvisor.agentapi.ConfigSettings;
import org.debvisor.common.digest.Sha256;
import org.debvisor.common.violation.Violation;
import org.debvisor.proto.ConfigBundle;
import org.debvisor.proto.ConfigFile;

/**
 * Checks a bundle's version and files against the agent's rules without touching the disk.
 *
 * <p>Services and the health gate are not checked here. Thread-safe.
 */
public final class BundleValidator {

  private static final Pattern VERSION = Pattern.compile("[A-Za-z0-9._:-]{1,64}");
  private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");
  private static final Pattern NUMERIC_ID = Pattern.compile("[0-9]{1,10}");
  private static final Pattern ACCOUNT_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_.-]{0,31}\\$?");
  private static final int NAME_MAX = 255;
  private static final int PATH_MAX = 4095;

  private final ConfigSettings settings;
  private final AllowedRoots roots;
  private final Path stateDir;
  private final UserPrincipalLookupService accounts;

  public BundleValidator(ConfigSettings settings) {
    this.settings = settings;
    this.roots = new AllowedRoots(settings.allowedRoots());
    this.stateDir = settings.stateDir().toAbsolutePath().normalize();
    this.accounts = FileSystems.getDefault().getUserPrincipalLookupService();
  }

  /** Every violation in the bundle, or an empty list when it may be applied. */
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
    } else if (count > settings.maxFiles()) {
      out.add(
          new Violation("bundle.files", "at most " + settings.maxFiles() + " files, got " + count));
    }
    long total = 0;
    Map<Path, Integer> seen = new HashMap<>();
    for (int i = 0; i < count; i++) {
      ConfigFile file = bundle.getFiles(i);
      String prefix = "bundle.files[" + i + "].";
      Path path = checkPath(file.getPath(), prefix + "path", out);
      if (path != null) {
        checkConflicts(path, i, seen, prefix + "path", out);
      }
      checkMode(file.getMode(), prefix + "mode", out);
      checkAccount(file.getOwner(), false, prefix + "owner", out);
      checkAccount(file.getGroup(), true, prefix + "group", out);
      total += file.getContent().size();
      if (file.getContent().size() > settings.maxFileBytes()) {
        out.add(
            new Violation(
                prefix + "content",
                "larger than "
                    + settings.maxFileBytes()
                    + " bytes ("
                    + file.getContent().size()
                    + ")"));
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
  static int effectiveMode(int mode) {
    return mode == 0 ? 0644 : mode;
  }

  private Path checkPath(String raw, String field, List<Violation> out) {
    if (raw.isEmpty()) {
      out.add(new Violation(field, "required"));
      return null;
    }
    if (raw.indexOf('\0') >= 0) {
      out.add(new Violation(field, "must not contain NUL"));
      return null;
    }
    if (raw.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
      out.add(new Violation(field, "must not contain control characters"));
      return null;
    }
    if (!raw.startsWith("/")) {
      out.add(new Violation(field, "must be absolute"));
      return null;
    }
    if (raw.endsWith("/")) {
      out.add(new Violation(field, "must name a file, not end with /"));
      return null;
    }
    if (raw.contains("//")) {
      out.add(new Violation(field, "must be normalised (no //)"));
      return null;
    }
    for (String segment : raw.substring(1).split("/")) {
      if (segment.equals(".") || segment.equals("..")) {
        out.add(new Violation(field, "must be normalised (no . or .. segments)"));
        return null;
      }
      if (segment.getBytes(StandardCharsets.UTF_8).length > NAME_MAX) {
        out.add(new Violation(field, "has a segment longer than " + NAME_MAX + " bytes"));
        return null;
      }
    }
    if (raw.getBytes(StandardCharsets.UTF_8).length > PATH_MAX) {
      out.add(new Violation(field, "longer than " + PATH_MAX + " bytes"));
      return null;
    }
    Path path;
    try {
      path = Path.of(raw);
    } catch (InvalidPathException e) {
      out.add(new Violation(field, "cannot be represented as a file name on this node"));
      return null;
    }
    if (roots.isRoot(path)) {
      out.add(new Violation(field, "is an allowed root itself, not a file under it"));
      return null;
    }
    if (roots.rootOf(path).isEmpty()) {
      out.add(new Violation(field, "must lie under one of the allowed roots: " + roots.describe()));
      return null;
    }
    if (path.startsWith(stateDir) || stateDir.startsWith(path)) {
      out.add(new Violation(field, "must not touch the agent's state directory"));
      return null;
    }
    return path;
  }

  private static void checkConflicts(
      Path path, int index, Map<Path, Integer> seen, String field, List<Violation> out) {
    Integer duplicate = seen.get(path);
    if (duplicate != null) {
      out.add(new Violation(field, "duplicates bundle.files[" + duplicate + "].path"));
      return;
    }
    for (Map.Entry<Path, Integer> other : seen.entrySet()) {
      if (path.startsWith(other.getKey()) || other.getKey().startsWith(path)) {
        out.add(
            new Violation(
                field,
                "one of this and bundle.files["
                    + other.getValue()
                    + "].path would have to be a directory"));
        return;
      }
    }
    seen.put(path, index);
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

  private void checkAccount(String name, boolean group, String field, List<Violation> out) {
    String kind = group ? "group" : "user";
    if (name.isEmpty()) {
      return;
    }
    if (NUMERIC_ID.matcher(name).matches()) {
      if (Long.parseLong(name) > Integer.MAX_VALUE) {
        out.add(new Violation(field, "numeric " + kind + " id out of range"));
      }
      return;
    }
    if (!ACCOUNT_NAME.matcher(name).matches()) {
      out.add(new Violation(field, "must be empty, a numeric id or a " + kind + " name"));
      return;
    }
    try {
      if (group) {
        accounts.lookupPrincipalByGroupName(name);
      } else {
        accounts.lookupPrincipalByName(name);
      }
    } catch (UserPrincipalNotFoundException e) {
      out.add(new Violation(field, "no " + kind + " named " + name + " on this node"));
    } catch (IOException e) {
      out.add(new Violation(field, "cannot look up " + kind + " " + name + ": " + e));
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

  /** Lower-case hex SHA-256 of the bytes. */
  static String sha256Hex(ByteString content) {
    return Sha256.hex(content.asReadOnlyByteBufferList());
  }
}
