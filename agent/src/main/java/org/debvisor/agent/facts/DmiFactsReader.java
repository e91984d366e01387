package org.debvisor.agent.facts;

import org.debvisor.proto.DmiFacts;

/**
 * System, board and BIOS identity from {@code /sys/class/dmi/id}; boards without DMI (most arm64)
 * and files only root may read give empty fields.
 */
final class DmiFactsReader {

  private static final String DMI = "sys/class/dmi/id/";

  private final SysFs fs;

  DmiFactsReader(SysFs fs) {
    this.fs = fs;
  }

  DmiFacts read() {
    return DmiFacts.newBuilder()
        .setSystemVendor(fs.text(DMI + "sys_vendor"))
        .setSystemProduct(fs.text(DMI + "product_name"))
        .setSystemSerial(fs.text(DMI + "product_serial"))
        .setSystemUuid(fs.text(DMI + "product_uuid"))
        .setBoardVendor(fs.text(DMI + "board_vendor"))
        .setBoardName(fs.text(DMI + "board_name"))
        .setBoardSerial(fs.text(DMI + "board_serial"))
        .setBiosVendor(fs.text(DMI + "bios_vendor"))
        .setBiosVersion(fs.text(DMI + "bios_version"))
        .setBiosDate(fs.text(DMI + "bios_date"))
        .setChassisType(fs.text(DMI + "chassis_type"))
        .build();
  }
}
