package org.debvisor.controller.vulnscan;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * The parts of a package URL ({@code pkg:type/namespace/name@version?qualifiers}) a scan matches
 * on. Qualifiers and subpath are dropped: a jar and its sources share one advisory.
 */
public record PackageUrl(String type, String namespace, String name, String version) {

  /** Parses {@code text}, or empty when it is not a package URL. */
  public static Optional<PackageUrl> parse(String text) {
    if (text == null || !text.startsWith("pkg:")) {
      return Optional.empty();
    }
    String rest = text.substring(4);
    int cut = firstOf(rest, '?', '#');
    if (cut >= 0) {
      rest = rest.substring(0, cut);
    }
    String version = "";
    int at = rest.lastIndexOf('@');
    if (at >= 0) {
      version = decode(rest.substring(at + 1));
      rest = rest.substring(0, at);
    }
    int slash = rest.indexOf('/');
    if (slash <= 0) {
      return Optional.empty();
    }
    String type = rest.substring(0, slash).toLowerCase(java.util.Locale.ROOT);
    String path = rest.substring(slash + 1);
    int last = path.lastIndexOf('/');
    String namespace = last < 0 ? "" : decode(path.substring(0, last));
    String name = decode(path.substring(last + 1));
    if (name.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(new PackageUrl(type, namespace, name, version));
  }

  /** The decoded value of qualifier {@code key} in package URL {@code text}, if it has one. */
  public static Optional<String> qualifier(String text, String key) {
    if (text == null) {
      return Optional.empty();
    }
    int question = text.indexOf('?');
    if (question < 0) {
      return Optional.empty();
    }
    int hash = text.indexOf('#', question);
    String qualifiers = text.substring(question + 1, hash < 0 ? text.length() : hash);
    for (String pair : qualifiers.split("&")) {
      int equals = pair.indexOf('=');
      if (equals > 0 && pair.substring(0, equals).equalsIgnoreCase(key)) {
        return Optional.of(decode(pair.substring(equals + 1)));
      }
    }
    return Optional.empty();
  }

  /** Whether both name the same package, whatever the version. */
  public boolean samePackage(PackageUrl other) {
    return type.equals(other.type) && namespace.equals(other.namespace) && name.equals(other.name);
  }

  private static int firstOf(String s, char a, char b) {
    int i = s.indexOf(a);
    int j = s.indexOf(b);
    return i < 0 ? j : j < 0 ? i : Math.min(i, j);
  }

  private static String decode(String s) {
    return URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
  }
}
