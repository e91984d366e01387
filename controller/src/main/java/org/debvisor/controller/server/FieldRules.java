package org.debvisor.controller.server;

import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import org.debvisor.common.violation.Violation;
import org.debvisor.controller.inventory.AgentHost;
import org.debvisor.controller.inventory.ClusterName;

/** The rules request fields must follow; each check adds a violation naming field and rule. */
final class FieldRules {

  static final Set<String> PROFILES = Set.of("ceph", "hypervisor", "k8s");

  private static final Pattern NODE_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
  private static final Pattern LABEL =
      Pattern.compile("[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?");
  private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
  private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]{2,45}");
  private static final Pattern PORT = Pattern.compile("\\d{1,5}");
  private static final Pattern PRINTABLE = Pattern.compile("[\\x20-\\x7e]*");

  private FieldRules() {}

  static void nodeId(List<Violation> out, String field, String value) {
    if (value.isEmpty()) {
      out.add(new Violation(field, "is required (the node's machine-id)"));
    } else if (!NODE_ID.matcher(value).matches()) {
      out.add(
          new Violation(
              field, "must be 1-64 characters of [A-Za-z0-9._-] starting with a letter or digit"));
    }
  }

  static void hostname(List<Violation> out, String field, String value, boolean required) {
    if (value.isEmpty()) {
      if (required) {
        out.add(new Violation(field, "is required"));
      }
      return;
    }
    if (!isHostname(value)) {
      out.add(
          new Violation(
              field,
              "'"
                  + printable(value)
                  + "' is not a hostname (RFC 1123 labels of letters, digits and '-',"
                  + " at most 253 characters)"));
    }
  }

  static boolean isHostname(String value) {
    if (value.length() > 253 || value.endsWith(".")) {
      return false;
    }
    for (String label : value.split("\\.", -1)) {
      if (!LABEL.matcher(label).matches()) {
        return false;
      }
    }
    return true;
  }

  static void profile(List<Violation> out, String field, String value) {
    if (!value.isEmpty() && !PROFILES.contains(value)) {
      out.add(
          new Violation(
              field, "'" + printable(value) + "' is not a profile; use ceph, hypervisor or k8s"));
    }
  }

  static void cluster(List<Violation> out, String field, String value) {
    ClusterName.problem(value)
        .ifPresent(rule -> out.add(new Violation(field, "'" + printable(value) + "' " + rule)));
  }

  /** {@code host:port} with a hostname, an IPv4 address or a bracketed IPv6 address. */
  static void address(List<Violation> out, String field, String value, boolean required) {
    if (value.isEmpty()) {
      if (required) {
        out.add(new Violation(field, "is required (host:port the agent serves mTLS on)"));
      }
      return;
    }
    if (addressHost(value) == null) {
      out.add(
          new Violation(
              field,
              "'"
                  + printable(value)
                  + "' is not host:port (hostname, IPv4 or [IPv6], port 1-65535)"));
    }
  }

  /** The host part of a valid {@code host:port}, or null when it is not valid. */
  static String addressHost(String value) {
    AgentHost.HostPort split = AgentHost.split(value).orElse(null);
    if (split == null || !PORT.matcher(split.port()).matches()) {
      return null;
    }
    int port = Integer.parseInt(split.port());
    if (port < 1 || port > 65535) {
      return null;
    }
    String host = split.host();
    if (split.bracketed()) {
      return IPV6.matcher(host).matches() && host.contains(":") ? host : null;
    }
    if (IPV4.matcher(host).matches()) {
      for (String part : host.split("\\.")) {
        if (Integer.parseInt(part) > 255) {
          return null;
        }
      }
      return host;
    }
    return isHostname(host) ? host : null;
  }

  static void text(List<Violation> out, String field, String value, int max) {
    if (value.length() > max || !PRINTABLE.matcher(value).matches()) {
      out.add(
          new Violation(
              field, "must be at most " + max + " printable ASCII characters (no newlines)"));
    }
  }

  /** The value shortened and stripped of control characters, safe to echo in a message. */
  static String printable(String value) {
    String cut = value.length() > 64 ? value.substring(0, 64) + "…" : value;
    return cut.replaceAll("[\\p{Cntrl}]", "?");
  }
}
