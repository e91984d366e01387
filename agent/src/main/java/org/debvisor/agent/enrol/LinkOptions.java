package org.debvisor.agent.enrol;

import java.util.SplittableRandom;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;
import org.debvisor.agent.facts.HardwareFactsReader;
import org.debvisor.proto.HardwareFacts;

/**
 * What the controller link reads and how it waits; production reads this machine and really sleeps,
 * tests pass fixtures, a seeded random and a recording sleeper.
 *
 * @param facts reads the hardware facts
 * @param random jitter source
 * @param sleeper waits between steps
 * @param background false leaves stepping to the caller ({@link ControllerLink#runOnce()})
 */
public record LinkOptions(
    Supplier<HardwareFacts> facts, RandomGenerator random, Sleeper sleeper, boolean background) {

  /** Reads this machine, sleeps for real, runs on its own thread. */
  public static LinkOptions production() {
    return new LinkOptions(
        HardwareFactsReader.forThisMachine(), new SplittableRandom(), Sleeper.real(), true);
  }
}
