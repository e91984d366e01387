package org.debvisor.agent.collect.hypervisor;

import org.libvirt.Connect;
import org.libvirt.LibvirtException;

/** Opens a libvirt connection; the seam that lets tests prepare the driver's state first. */
@FunctionalInterface
interface LibvirtConnector {

  /** Read-only connector used in production. */
  LibvirtConnector READ_ONLY = uri -> new Connect(uri, true);

  Connect open(String uri) throws LibvirtException;
}
