package org.debvisor.agent.collect.system;

import org.debvisor.proto.TimeSync;

/** Tells whether the system clock is disciplined by a time source. */
interface ClockSyncProbe {
  TimeSync read() throws Exception;
}
