package org.debvisor.sim;

import java.time.Duration;

/**
 * Faults spread over a whole simulated fleet. Fractions of agents are exact counts (rounded),
 * chosen by the fleet's seed, so "5 % of 200" is always 10 named agents; dropped calls are per
 * call.
 *
 * @param gateFailFraction share of agents whose health gate fails (0..1)
 * @param applyDelayMin shortest time an UpdateConfig takes
 * @param applyDelayMax longest time an UpdateConfig takes (equal to min for a fixed delay)
 * @param dropFraction share of calls to every agent answered with UNAVAILABLE (0..1)
 * @param dieMidApplyFraction share of agents whose server stops during their next UpdateConfig
 * @param notOkToStopFraction share of agents whose OSDs Ceph says must not stop (with --ceph-osds)
 */
public record FaultSettings(
    double gateFailFraction,
    Duration applyDelayMin,
    Duration applyDelayMax,
    double dropFraction,
    double dieMidApplyFraction,
    double notOkToStopFraction) {

  public FaultSettings {
    fraction("gate failure fraction", gateFailFraction);
    fraction("drop fraction", dropFraction);
    fraction("die-mid-apply fraction", dieMidApplyFraction);
    fraction("not-ok-to-stop fraction", notOkToStopFraction);
    if (applyDelayMin == null || applyDelayMax == null) {
      throw new IllegalArgumentException("apply delay needs a minimum and a maximum");
    }
    if (applyDelayMin.isNegative() || applyDelayMax.compareTo(applyDelayMin) < 0) {
      throw new IllegalArgumentException(
          "apply delay must be 0 or more with min <= max, got "
              + applyDelayMin.toMillis()
              + " ms.."
              + applyDelayMax.toMillis()
              + " ms");
    }
  }

  /** A healthy fleet: every gate passes, applies are immediate, nothing is dropped. */
  public static FaultSettings none() {
    return new FaultSettings(0, Duration.ZERO, Duration.ZERO, 0, 0, 0);
  }

  public FaultSettings withGateFailFraction(double fraction) {
    return new FaultSettings(
        fraction,
        applyDelayMin,
        applyDelayMax,
        dropFraction,
        dieMidApplyFraction,
        notOkToStopFraction);
  }

  public FaultSettings withApplyDelay(Duration min, Duration max) {
    return new FaultSettings(
        gateFailFraction, min, max, dropFraction, dieMidApplyFraction, notOkToStopFraction);
  }

  public FaultSettings withDropFraction(double fraction) {
    return new FaultSettings(
        gateFailFraction,
        applyDelayMin,
        applyDelayMax,
        fraction,
        dieMidApplyFraction,
        notOkToStopFraction);
  }

  public FaultSettings withDieMidApplyFraction(double fraction) {
    return new FaultSettings(
        gateFailFraction,
        applyDelayMin,
        applyDelayMax,
        dropFraction,
        fraction,
        notOkToStopFraction);
  }

  public FaultSettings withNotOkToStopFraction(double fraction) {
    return new FaultSettings(
        gateFailFraction,
        applyDelayMin,
        applyDelayMax,
        dropFraction,
        dieMidApplyFraction,
        fraction);
  }

  private static void fraction(String name, double value) {
    if (!(value >= 0 && value <= 1)) {
      throw new IllegalArgumentException(
          name + " must be between 0 and 1 (e.g. 0.05 for 5 %), got " + value);
    }
  }
}
