package org.debvisor.agent.collect;

import java.time.Duration;
import org.debvisor.proto.Subsystem;
import org.debvisor.proto.SubsystemStatus;

/**
 * A health source for one subsystem of the node, like Ironic's hardware managers: each one reads
 * its subsystem and knows nothing of scheduling, timeouts or the report it ends up in.
 *
 * <p>{@link #collect()} may block (native calls, HTTP); the {@link CollectorRunner} calls it on the
 * collector's own thread, never concurrently with itself, and gives up waiting after {@link
 * #timeout()}.
 */
public interface Collector extends AutoCloseable {

  /** The subsystem this collector reports. */
  Subsystem subsystem();

  /** How often to collect. */
  Duration interval();

  /** How long one collection may take before the subsystem is reported UNKNOWN. */
  Duration timeout();

  /**
   * Reads the subsystem now. Returns its state, message and details; timestamps are added by the
   * runner. A subsystem that is not installed or not configured returns {@code HEALTH_ABSENT}.
   *
   * @throws Exception when the subsystem could not be read; the runner reports it as ERROR with the
   *     exception's message
   */
  SubsystemStatus collect() throws Exception;

  /** Releases native handles and connections. */
  @Override
  default void close() {}
}
