package org.debvisor.controller.node;

import java.util.Base64;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The allowed shape of every value that reaches a preseed. All patterns are whitelists of plain
 * ASCII (full names also allow letters of any script), so none admits a line break, a quote, a
 * backslash or another shell metacharacter.
 */
public final class ValueRules {

  private ValueRules() {}

  public static final Pattern HOST_LABEL =
      Pattern.compile("(?i)[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?");
  public static final String HOST_LABEL_RULE =
      "must be one RFC 1123 host name label: letters, digits and inner hyphens, 1 to 63"
          + " characters (e.g. node01)";

  public static final Pattern DOMAIN =
      Pattern.compile(
          "(?i)[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*");
  public static final String DOMAIN_RULE =
      "must be a DNS domain of RFC 1123 labels separated by dots (e.g. example.org)";

  public static final Pattern LOCALE =
      Pattern.compile("[a-z]{2,3}_[A-Z]{2}(\\.UTF-8)?(@[a-z]{1,16})?|C\\.UTF-8");
  public static final String LOCALE_RULE = "must be a locale like en_US.UTF-8 or de_DE.UTF-8";

  public static final Pattern KEYBOARD = Pattern.compile("[a-z][a-z0-9_-]{0,31}");
  public static final String KEYBOARD_RULE = "must be an X keyboard layout name like us, de or gb";

  public static final Pattern TIMEZONE =
      Pattern.compile("[A-Za-z][A-Za-z0-9_+-]{0,31}(/[A-Za-z0-9][A-Za-z0-9_+-]{0,31}){0,2}");
  public static final String TIMEZONE_RULE =
      "must be a tz database name like Etc/UTC or Europe/Berlin";

  public static final Pattern INTERFACE = Pattern.compile("auto|[A-Za-z][A-Za-z0-9_.-]{0,14}");
  public static final String INTERFACE_RULE =
      "must be auto or an interface name (letter first, then letters, digits, _ . -; at most 15)";

  public static final Pattern MIRROR_PATH =
      Pattern.compile("/([A-Za-z0-9_~-][A-Za-z0-9._~-]{0,63}/?){0,8}");
  public static final String MIRROR_PATH_RULE =
      "must be an absolute path of plain names (letters, digits, . _ ~ -), e.g. /debian";

  public static final Pattern SUITE = Pattern.compile("[a-z][a-z0-9-]{1,31}");
  public static final String SUITE_RULE = "must be a Debian suite name like trixie";

  public static final Pattern PASSWORD_HASH =
      Pattern.compile("\\$6\\$(rounds=[1-9][0-9]{3,8}\\$)?[./A-Za-z0-9]{1,16}\\$[./A-Za-z0-9]{86}");

  /** SHA-256 crypt ({@code $5$}), accepted in preseed files a user writes, not generated. */
  public static final Pattern SHA256_CRYPT =
      Pattern.compile("\\$5\\$(rounds=[1-9][0-9]{3,8}\\$)?[./A-Za-z0-9]{1,16}\\$[./A-Za-z0-9]{43}");

  /**
   * yescrypt ({@code $y$}), Debian's default since bookworm: parameters, salt and 43 characters.
   */
  public static final Pattern YESCRYPT =
      Pattern.compile("\\$y\\$[./A-Za-z0-9]{1,32}\\$[./A-Za-z0-9]{1,86}\\$[./A-Za-z0-9]{43}");

  public static final String CRYPT_HASH_RULE =
      "must be a crypt hash: SHA-512 ($6$salt$ and 86 characters), SHA-256 ($5$salt$ and 43) or"
          + " yescrypt ($y$params$salt$ and 43), e.g. from 'mkpasswd -m sha-512'";

  /**
   * Why a crypted password is not one of the accepted crypt forms ($6$, $5$, $y$), or empty when it
   * is one. A value without a leading {@code $} is most likely a password typed in clear.
   */
  public static Optional<String> cryptHashProblem(String hash) {
    if (PASSWORD_HASH.matcher(hash).matches()
        || SHA256_CRYPT.matcher(hash).matches()
        || YESCRYPT.matcher(hash).matches()) {
      return Optional.empty();
    }
    if (!hash.startsWith("$")) {
      return Optional.of(
          "looks like a plain-text password, not a hash: "
              + CRYPT_HASH_RULE.substring("must be ".length()));
    }
    if (hash.startsWith("$1$") || hash.startsWith("$2")) {
      return Optional.of("MD5 and bcrypt hashes are refused; it " + CRYPT_HASH_RULE);
    }
    return Optional.of(CRYPT_HASH_RULE);
  }

  public static final Pattern USER_NAME = Pattern.compile("[a-z_][a-z0-9_-]{0,31}");
  public static final String USER_NAME_RULE =
      "must be a login name: lower-case letter or _, then lower-case letters, digits, _ or -;"
          + " at most 32";
  public static final Set<String> RESERVED_USERS =
      Set.of(
          "root",
          "daemon",
          "bin",
          "sys",
          "sync",
          "games",
          "man",
          "lp",
          "mail",
          "news",
          "uucp",
          "proxy",
          "www-data",
          "backup",
          "list",
          "irc",
          "nobody",
          "sshd",
          "messagebus",
          "_apt",
          "systemd-network",
          "systemd-timesync",
          "systemd-resolve");

  public static final Pattern FULL_NAME = Pattern.compile("[\\p{L}\\p{N}][\\p{L}\\p{N} ._-]{0,63}");
  public static final String FULL_NAME_RULE =
      "must be letters, digits, spaces, . _ or - (at most 64 characters)";

  public static final Pattern DISK =
      Pattern.compile(
          "/dev/(sd[a-z]{1,2}|vd[a-z]{1,2}|xvd[a-z]{1,2}|hd[a-z]|nvme[0-9]{1,3}n[0-9]{1,3}|mmcblk[0-9]{1,3})"
              + "|/dev/disk/by-id/[A-Za-z0-9][A-Za-z0-9._:+-]{0,199}");
  public static final Pattern BY_ID_PARTITION = Pattern.compile(".*-part[0-9]+");
  public static final String DISK_RULE =
      "must be a whole disk: /dev/sdX, /dev/vdX, /dev/xvdX, /dev/hdX, /dev/nvmeNnM, /dev/mmcblkN"
          + " or /dev/disk/by-id/NAME (not a partition)";

  static final Pattern RECIPE = Pattern.compile("atomic|lvm|expert");
  static final Pattern FILESYSTEM = Pattern.compile("ext4|xfs|btrfs|swap");
  static final Pattern MOUNTPOINT = Pattern.compile("/|(/[a-z0-9][a-z0-9._-]{0,63}){1,8}");
  static final String MOUNTPOINT_RULE =
      "must be / or an absolute path of lower-case names (letters, digits, . _ -), e.g. /var/lib";
  static final Set<String> RESERVED_MOUNTPOINTS =
      Set.of("/boot/efi", "/proc", "/sys", "/dev", "/run");

  public static final Pattern PACKAGE = Pattern.compile("[a-z0-9][a-z0-9+.-]{1,99}");
  public static final String PACKAGE_RULE =
      "must be a Debian package name: lower-case letters, digits, + . -; at least 2 characters";

  public static final Pattern TASK = Pattern.compile("[a-z0-9][a-z0-9-]{0,63}");
  public static final String TASK_RULE = "must be a tasksel task name like standard or ssh-server";

  static final Pattern SYSCTL_KEY = Pattern.compile("[a-z0-9_]{1,32}(\\.[a-z0-9_-]{1,64}){1,8}");
  static final Pattern SYSCTL_VALUE =
      Pattern.compile("[A-Za-z0-9._:/-]( ?[A-Za-z0-9._:/-]){0,127}");
  static final Pattern MODULE = Pattern.compile("[a-z0-9_-]{1,64}");

  static final Pattern FINGERPRINT =
      Pattern.compile("[0-9A-Fa-f]{64}|([0-9A-Fa-f]{2}:){31}[0-9A-Fa-f]{2}");
  static final String FINGERPRINT_RULE =
      "must be a SHA-256 fingerprint: 64 hex digits, optionally as 32 colon-separated pairs";

  static final Pattern TOKEN = Pattern.compile("[A-Za-z0-9._-]{16,256}");
  static final String TOKEN_RULE =
      "must be 16 to 256 characters of letters, digits, . _ or - (a bootstrap token)";

  static final Pattern FINISH = Pattern.compile("reboot|poweroff");

  static final Pattern COMMAND_NAME = Pattern.compile("[A-Za-z0-9_./+-]{1,255}");
  static final Pattern COMMAND_ARG = Pattern.compile("[\\x20-\\x5b\\x5d-\\x7e]{0,1024}");

  private static final Pattern SSH_KEY =
      Pattern.compile(
          "(ssh-ed25519|ssh-rsa|ecdsa-sha2-nistp256|ecdsa-sha2-nistp384|ecdsa-sha2-nistp521"
              + "|sk-ssh-ed25519@openssh\\.com|sk-ecdsa-sha2-nistp256@openssh\\.com)"
              + " ([A-Za-z0-9+/]{16,8192}={0,2})( [A-Za-z0-9@._+:=-]{1,100})?");
  static final String SSH_KEY_RULE =
      "must be one OpenSSH public key: type (ssh-ed25519, ssh-rsa, ecdsa-sha2-nistp256, ...), a"
          + " space, the base64 key and an optional comment of letters, digits, @ . _ + : = -"
          + " (no options)";

  private static final Pattern HOST_PORT =
      Pattern.compile("(\\[([0-9A-Fa-f:.]{2,45})]|([A-Za-z0-9.-]{1,253}))(:([0-9]{1,5}))?");

  /** Why an SSH public key line is wrong, or empty when it is fine. */
  public static Optional<String> sshKeyProblem(String key) {
    Matcher m = SSH_KEY.matcher(key);
    if (!m.matches()) {
      return Optional.of(SSH_KEY_RULE);
    }
    byte[] blob;
    try {
      blob = Base64.getDecoder().decode(m.group(2));
    } catch (IllegalArgumentException e) {
      return Optional.of("the key part is not valid base64");
    }
    // The blob starts with its own type as an SSH string (4-byte length, then the name).
    String type = m.group(1);
    if (blob.length < 4 + type.length()) {
      return Optional.of("the key data is too short for a " + type + " key");
    }
    int length =
        ((blob[0] & 0xff) << 24)
            | ((blob[1] & 0xff) << 16)
            | ((blob[2] & 0xff) << 8)
            | (blob[3] & 0xff);
    String inner =
        length == type.length()
            ? new String(blob, 4, length, java.nio.charset.StandardCharsets.US_ASCII)
            : "";
    if (!inner.equals(type)) {
      return Optional.of("the key data does not hold a " + type + " key (type and data disagree)");
    }
    return Optional.empty();
  }

  /**
   * Why a {@code host[:port]} value is wrong, or empty when it is fine. Hosts are DNS names of RFC
   * 1123 labels, IPv4 addresses or bracketed IPv6 addresses.
   */
  public static Optional<String> hostPortProblem(String text, boolean portRequired) {
    String shape =
        portRequired
            ? "must be host:port (a DNS name, an IPv4 address or [IPv6], and a port 1-65535)"
            : "must be a host (a DNS name, an IPv4 address or [IPv6]), optionally with :port";
    Matcher m = HOST_PORT.matcher(text);
    if (!m.matches()) {
      return Optional.of(shape);
    }
    if (m.group(2) != null) {
      Optional<IpAddress> v6 = IpAddress.parse(m.group(2));
      if (v6.isEmpty() || v6.get().isV4()) {
        return Optional.of("'" + m.group(2) + "' in brackets is not an IPv6 address");
      }
    } else {
      String host = m.group(3);
      boolean looksNumeric = host.matches("[0-9.]+");
      if (looksNumeric ? IpAddress.parse(host).isEmpty() : !isDnsName(host)) {
        return Optional.of(shape);
      }
    }
    if (m.group(5) == null) {
      return portRequired ? Optional.of(shape) : Optional.empty();
    }
    int port = Integer.parseInt(m.group(5));
    if (port < 1 || port > 65535) {
      return Optional.of("port " + port + " is outside 1-65535");
    }
    return Optional.empty();
  }

  public static final String PROXY_RULE =
      "must be http://HOST[:PORT]/ (no user name or password, no path), e.g."
          + " http://proxy.example.org:3128/";

  /** Why an HTTP proxy URL is wrong, or empty when it is fine. */
  public static Optional<String> proxyProblem(String proxy) {
    String rest = proxy.startsWith("http://") ? proxy.substring("http://".length()) : null;
    if (rest != null && rest.endsWith("/")) {
      rest = rest.substring(0, rest.length() - 1);
    }
    if (rest == null || hostPortProblem(rest, false).isPresent()) {
      return Optional.of(PROXY_RULE);
    }
    return Optional.empty();
  }

  /** A DNS name of RFC 1123 labels, at most 253 characters, not ending in a numeric label. */
  public static boolean isDnsName(String name) {
    if (name.length() > 253 || !DOMAIN.matcher(name).matches()) {
      return false;
    }
    String last = name.substring(name.lastIndexOf('.') + 1);
    return !last.matches("[0-9]+");
  }
}
