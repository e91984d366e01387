package org.debvisor.controller.preseed;

import java.util.Locale;

/** The parts of a preseed the generator writes, each marked {@code @@name@@} in the template. */
enum Section {
  LOCALISATION,
  NETWORK,
  MIRROR,
  ACCOUNTS,
  CLOCK,
  PARTITIONING,
  APT,
  PACKAGES,
  BOOTLOADER,
  LATE,
  FINISH;

  /** The template marker, e.g. {@code @@network@@}. */
  public String marker() {
    return "@@" + name().toLowerCase(Locale.ROOT) + "@@";
  }
}
