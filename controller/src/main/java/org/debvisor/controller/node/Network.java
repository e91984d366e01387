package org.debvisor.controller.node;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * How the installer and the installed node reach the network.
 *
 * @param interfaceName {@code auto} (default: the first interface with a link) or a name like
 *     {@code ens3}; the YAML key is {@code interface}
 * @param mode {@code dhcp} (default) or {@code static}
 * @param address static IPv4 or IPv6 address, without prefix
 * @param prefix static prefix length (1–32 for IPv4, 1–128 for IPv6)
 * @param gateway static default gateway, inside the address's subnet
 * @param nameservers static DNS servers (1 to 3)
 */
public record Network(
    @JsonProperty("interface") String interfaceName,
    String mode,
    String address,
    Integer prefix,
    String gateway,
    List<String> nameservers) {

  public Network {
    interfaceName = interfaceName == null ? "auto" : interfaceName;
    mode = mode == null ? "dhcp" : mode;
    nameservers = NullableLists.copy(nameservers);
  }

  /** DHCP on the first interface with a link. */
  public static Network dhcp() {
    return new Network(null, null, null, null, null, null);
  }

  /** Whether the address is set by hand. */
  public boolean isStatic() {
    return "static".equals(mode);
  }
}
