package org.debvisor.agent.collect.system;

import com.sun.jna.Library;
import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import org.debvisor.proto.TimeSync;

/**
 * Asks the kernel through {@code adjtimex(2)} (read-only, modes = 0) whether the clock is
 * synchronised. That is the state chrony, ntpd and systemd-timesyncd all maintain, so one probe
 * covers whichever daemon the node runs.
 */
final class KernelClockSyncProbe implements ClockSyncProbe {

  /** adjtimex returns TIME_ERROR when the clock is not synchronised. */
  private static final int TIME_ERROR = 5;

  private static final int STA_UNSYNC = 0x0040;

  // struct timex offsets on LP64 Linux (amd64, arm64): modes(int, padded), offset, freq,
  // maxerror, esterror (longs), status (int).
  private static final int MAXERROR_OFFSET = 24;
  private static final int ESTERROR_OFFSET = 32;
  private static final int STATUS_OFFSET = 40;
  private static final int STRUCT_SIZE = 256;

  /** The one libc function we need. */
  interface LibC extends Library {
    int adjtimex(Pointer buf);
  }

  private final LibC libc;

  KernelClockSyncProbe() {
    this.libc = Native.load("c", LibC.class);
  }

  @Override
  public TimeSync read() {
    try (Memory timex = new Memory(STRUCT_SIZE)) {
      timex.clear();
      int state = libc.adjtimex(timex);
      if (state < 0) {
        throw new IllegalStateException("adjtimex failed with errno " + Native.getLastError());
      }
      int status = timex.getInt(STATUS_OFFSET);
      return TimeSync.newBuilder()
          .setSynchronized(state != TIME_ERROR && (status & STA_UNSYNC) == 0)
          .setMaxErrorUs(timex.getLong(MAXERROR_OFFSET))
          .setEstimatedErrorUs(timex.getLong(ESTERROR_OFFSET))
          .build();
    }
  }
}
