package org.debvisor.agent.facts;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.debvisor.proto.NicFacts;

/**
 * Network interfaces from {@code /sys/class/net}, loopback left out. Only interfaces backed by a
 * device are hardware: bridges, bonds, veth and tap interfaces come and go with VMs and containers
 * and would change the fingerprint all the time. A node with no such interface (a container, a
 * namespace test node) reports its virtual ones instead.
 */
final class NicFactsReader {

  private static final String NET = "sys/class/net";

  private final SysFs fs;

  NicFactsReader(SysFs fs) {
    this.fs = fs;
  }

  List<NicFacts> read() {
    List<String> physical = new ArrayList<>();
    List<String> virtual = new ArrayList<>();
    for (String name : fs.names(NET)) {
      if (!name.equals("lo")) {
        (fs.exists(NET + "/" + name + "/device") ? physical : virtual).add(name);
      }
    }
    List<NicFacts> nics = new ArrayList<>();
    for (String name : physical.isEmpty() ? virtual : physical) {
      nics.add(read(name));
    }
    return nics;
  }

  private NicFacts read(String name) {
    Path dir = fs.path(NET).resolve(name);
    // The kernel answers EINVAL for speed without link and -1 when the driver does not know.
    long speed = fs.number(dir.resolve("speed"), 0);
    String operstate = fs.text(dir.resolve("operstate"));
    boolean carrier = fs.text(dir.resolve("carrier")).equals("1");
    boolean up = operstate.equals("up") || (operstate.equals("unknown") && carrier);
    return NicFacts.newBuilder()
        .setName(name)
        .setMac(fs.text(dir.resolve("address")))
        .setSpeedMbps(speed > 0 && speed <= Integer.MAX_VALUE ? (int) speed : 0)
        .setLinkUp(up)
        .setDriver(fs.linkName(dir.resolve("device/driver")))
        .setMtu((int) Math.max(0, Math.min(fs.number(dir.resolve("mtu"), 0), 1 << 30)))
        .build();
  }
}
