package org.debvisor.controller.ha;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** This machine's name as the kernel has it, without a DNS lookup that could stall a start. */
public final class HostName {

  private HostName() {}

  /** The host name, or "localhost" when the kernel's cannot be read. */
  public static String local() {
    try {
      String name = Files.readString(Path.of("/proc/sys/kernel/hostname")).strip();
      return name.isEmpty() ? "localhost" : name;
    } catch (IOException e) {
      return "localhost";
    }
  }
}
