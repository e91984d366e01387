package org.debvisor.controller.preseed;

import java.math.BigInteger;
import java.util.Optional;
import org.debvisor.controller.node.IpAddress;
import org.debvisor.controller.node.ValueRules;

/** Value rules of netcfg's questions, built on the node.yaml rules the renderer applies. */
final class NetworkAnswerRules {

  private NetworkAnswerRules() {}

  static final String HOSTNAME_RULE =
      ValueRules.HOST_LABEL_RULE + ", or a full name like node01.example.org, not all digits";

  /** A host name label as in node.yaml, or (netcfg splits it) a fully qualified name. */
  static Optional<String> hostname(String value) {
    boolean label = ValueRules.HOST_LABEL.matcher(value).matches() || ValueRules.isDnsName(value);
    String first = value.contains(".") ? value.substring(0, value.indexOf('.')) : value;
    return label && !first.matches("[0-9]+") ? Optional.empty() : Optional.of(HOSTNAME_RULE);
  }

  /** A DNS domain as in node.yaml. */
  static Optional<String> domain(String value) {
    return ValueRules.isDnsName(value)
        ? Optional.empty()
        : Optional.of(ValueRules.DOMAIN_RULE + "; the last label must not be all digits");
  }

  /** One IPv4 or IPv6 address. */
  static Optional<String> address(String value) {
    return IpAddress.parse(value).isPresent()
        ? Optional.empty()
        : Optional.of("must be an IPv4 address (e.g. 192.0.2.10) or an IPv6 address");
  }

  /** An address, optionally with a /prefix (netcfg takes IPv6 in CIDR form). */
  static Optional<String> addressWithPrefix(String value) {
    String rule =
        "must be an IPv4 address (e.g. 192.0.2.10) or an IPv6 address, optionally with /prefix"
            + " (e.g. 2001:db8::10/64)";
    int slash = value.indexOf('/');
    Optional<IpAddress> address = IpAddress.parse(slash < 0 ? value : value.substring(0, slash));
    if (address.isEmpty()) {
      return Optional.of(rule);
    }
    if (slash >= 0) {
      String prefix = value.substring(slash + 1);
      int max = address.get().bits();
      if (!prefix.matches("[0-9]{1,3}")
          || Integer.parseInt(prefix) < 1
          || Integer.parseInt(prefix) > max) {
        return Optional.of("prefix must be 1 to " + max + " for this address");
      }
    }
    return Optional.empty();
  }

  /** A dotted IPv4 netmask whose one bits are contiguous. */
  static Optional<String> netmask(String value) {
    String rule = "must be a dotted IPv4 netmask like 255.255.255.0 (contiguous one bits)";
    Optional<IpAddress> mask = IpAddress.parse(value);
    if (mask.isEmpty() || !mask.get().isV4()) {
      return Optional.of(rule);
    }
    BigInteger inverted =
        mask.get().value().xor(BigInteger.ONE.shiftLeft(32).subtract(BigInteger.ONE));
    boolean contiguous = inverted.add(BigInteger.ONE).bitCount() == 1;
    return contiguous && mask.get().value().signum() > 0 ? Optional.empty() : Optional.of(rule);
  }
}
