package org.debvisor.agent.collect.hypervisor;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.TreeMap;
import org.debvisor.proto.HypervisorDetails;
import org.debvisor.proto.HypervisorDomain;
import org.debvisor.proto.HypervisorHost;
import org.debvisor.proto.HypervisorStoragePool;
import org.libvirt.Connect;
import org.libvirt.Domain;
import org.libvirt.DomainInfo;
import org.libvirt.Error.ErrorNumber;
import org.libvirt.LibvirtException;
import org.libvirt.NodeInfo;
import org.libvirt.StoragePool;
import org.libvirt.StoragePoolInfo;

/** Reads a libvirt connection into {@link HypervisorDetails}. */
final class LibvirtReader {

  private static final long KIB = 1024;

  private final int maxDomains;

  LibvirtReader(int maxDomains) {
    this.maxDomains = maxDomains;
  }

  HypervisorDetails read(Connect connection, String uri) throws LibvirtException {
    List<HypervisorDomain> domains = domains(connection);
    TreeMap<String, Integer> byState = new TreeMap<>();
    for (HypervisorDomain domain : domains) {
      byState.merge(domain.getState(), 1, Integer::sum);
    }
    HypervisorDetails.Builder details =
        HypervisorDetails.newBuilder()
            .setUri(uri)
            .setLibvirtReachable(true)
            .setDriver(connection.getType())
            .setHypervisorVersion(LibvirtVersions.format(connection.getVersion()))
            .setLibvirtVersion(LibvirtVersions.format(connection.getLibVersion()))
            .setHost(host(connection))
            .addAllDomains(domains.stream().limit(Math.max(0, maxDomains)).toList())
            .addAllStoragePools(storagePools(connection));
    byState.forEach(details::putDomainsByState);
    return details.build();
  }

  private static HypervisorHost host(Connect connection) throws LibvirtException {
    NodeInfo node = connection.nodeInfo();
    HypervisorHost.Builder host =
        HypervisorHost.newBuilder()
            .setCpuModel(node.model == null ? "" : node.model)
            .setCpus(node.cpus)
            .setMhz(node.mhz)
            .setNumaNodes(node.nodes)
            .setSockets(node.sockets)
            .setCoresPerSocket(node.cores)
            .setThreadsPerCore(node.threads)
            .setMemoryTotalBytes(node.memory * KIB);
    freeMemory(connection).ifPresent(host::setMemoryFreeBytes);
    return host.build();
  }

  // Drivers without NUMA cell data (the test driver reading a file) answer 0, which
  // libvirt-java turns into an exception; free memory is then simply not reported.
  private static Optional<Long> freeMemory(Connect connection) {
    try {
      return Optional.of(connection.getFreeMemory());
    } catch (LibvirtException e) {
      return Optional.empty();
    }
  }

  private static List<HypervisorDomain> domains(Connect connection) throws LibvirtException {
    List<HypervisorDomain> domains = new ArrayList<>();
    for (int id : connection.listDomains()) {
      lookup(() -> connection.domainLookupByID(id)).ifPresent(domains::add);
    }
    for (String name : connection.listDefinedDomains()) {
      lookup(() -> connection.domainLookupByName(name)).ifPresent(domains::add);
    }
    domains.sort(Comparator.comparing(HypervisorDomain::getName));
    return domains;
  }

  private interface DomainLookup {
    Domain find() throws LibvirtException;
  }

  // A domain listed a moment ago may be gone by the time it is looked up; that is not a failure.
  private static Optional<HypervisorDomain> lookup(DomainLookup lookup) throws LibvirtException {
    Domain domain;
    try {
      domain = lookup.find();
    } catch (LibvirtException e) {
      if (e.getError().getCode() == ErrorNumber.VIR_ERR_NO_DOMAIN) {
        return Optional.empty();
      }
      throw e;
    }
    try {
      DomainInfo info = domain.getInfo();
      return Optional.of(
          HypervisorDomain.newBuilder()
              .setName(domain.getName())
              .setState(domainState(info.state))
              .setVcpus(info.nrVirtCpu)
              .setMemoryBytes(info.memory * KIB)
              .build());
    } finally {
      domain.free();
    }
  }

  static String domainState(DomainInfo.DomainState state) {
    if (state == null) {
      return "nostate";
    }
    return state.name().substring("VIR_DOMAIN_".length()).toLowerCase(Locale.ROOT);
  }

  private static List<HypervisorStoragePool> storagePools(Connect connection)
      throws LibvirtException {
    List<String> names = new ArrayList<>(List.of(connection.listStoragePools()));
    names.addAll(List.of(connection.listDefinedStoragePools()));
    names.sort(Comparator.naturalOrder());
    List<HypervisorStoragePool> pools = new ArrayList<>();
    for (String name : names) {
      StoragePool pool;
      try {
        pool = connection.storagePoolLookupByName(name);
      } catch (LibvirtException e) {
        if (e.getError().getCode() == ErrorNumber.VIR_ERR_NO_STORAGE_POOL) {
          continue;
        }
        throw e;
      }
      try {
        pools.add(storagePool(name, pool));
      } finally {
        pool.free();
      }
    }
    return pools;
  }

  private static HypervisorStoragePool storagePool(String name, StoragePool pool)
      throws LibvirtException {
    HypervisorStoragePool.Builder result = HypervisorStoragePool.newBuilder().setName(name);
    StoragePoolInfo info;
    try {
      info = pool.getInfo();
    } catch (AssertionError e) {
      // libvirt-java 0.5.4 knows no VIR_STORAGE_POOL_INACCESSIBLE (4) and asserts on it.
      return result.setState("inaccessible").build();
    }
    return result
        .setState(poolState(info.state))
        .setCapacityBytes(info.capacity)
        .setAllocationBytes(info.allocation)
        .setAvailableBytes(info.available)
        .build();
  }

  static String poolState(StoragePoolInfo.StoragePoolState state) {
    if (state == null) {
      return "inaccessible"; // the state libvirt-java 0.5.4 cannot name (see above)
    }
    return state.name().substring("VIR_STORAGE_POOL_".length()).toLowerCase(Locale.ROOT);
  }
}
