package org.debvisor.controller.node;

import java.math.BigInteger;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * An IPv4 or IPv6 address literal, parsed without any name lookup.
 *
 * @param value the address as an unsigned number
 * @param bits 32 for IPv4, 128 for IPv6
 */
public record IpAddress(BigInteger value, int bits) {

  private static final Pattern IPV4 =
      Pattern.compile(
          "(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)(\\.(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)){3}");
  private static final Pattern IPV6_CHARS = Pattern.compile("[0-9A-Fa-f:.]{2,45}");

  /** Parses a dotted-quad IPv4 or an IPv6 literal (no zone, no brackets, no prefix). */
  public static Optional<IpAddress> parse(String text) {
    if (text == null) {
      return Optional.empty();
    }
    if (IPV4.matcher(text).matches()) {
      return Optional.of(new IpAddress(fromBytes(literal(text)), 32));
    }
    // The character check and the colon guarantee InetAddress treats it as a literal and never
    // asks DNS.
    if (IPV6_CHARS.matcher(text).matches() && text.indexOf(':') >= 0) {
      byte[] bytes = literal(text);
      if (bytes != null && bytes.length == 16) {
        return Optional.of(new IpAddress(fromBytes(bytes), 128));
      }
    }
    return Optional.empty();
  }

  /** Whether this is an IPv4 address. */
  public boolean isV4() {
    return bits == 32;
  }

  /** Whether {@code other} lies in this address's subnet of the given prefix length. */
  public boolean sameSubnet(IpAddress other, int prefix) {
    return other.bits == bits && network(prefix).equals(other.network(prefix));
  }

  /** Whether this is the network address of its IPv4 subnet (all host bits 0, prefix < 31). */
  public boolean isV4NetworkAddress(int prefix) {
    return isV4() && prefix < 31 && value.equals(network(prefix));
  }

  /** Whether this is the broadcast address of its IPv4 subnet (all host bits 1, prefix < 31). */
  public boolean isV4Broadcast(int prefix) {
    return isV4() && prefix < 31 && value.equals(network(prefix).or(hostMask(prefix)));
  }

  /** The IPv4 netmask for a prefix length, dotted ({@code 24 -> 255.255.255.0}). */
  public static String v4Netmask(int prefix) {
    long mask = prefix == 0 ? 0 : (0xFFFFFFFFL << (32 - prefix)) & 0xFFFFFFFFL;
    return ((mask >> 24) & 255)
        + "."
        + ((mask >> 16) & 255)
        + "."
        + ((mask >> 8) & 255)
        + "."
        + (mask & 255);
  }

  private BigInteger network(int prefix) {
    return value.andNot(hostMask(prefix));
  }

  private BigInteger hostMask(int prefix) {
    return BigInteger.ONE.shiftLeft(bits - prefix).subtract(BigInteger.ONE);
  }

  private static BigInteger fromBytes(byte[] bytes) {
    return new BigInteger(1, bytes);
  }

  private static byte[] literal(String text) {
    try {
      return InetAddress.getByName(text).getAddress();
    } catch (UnknownHostException e) {
      return null;
    }
  }
}
