package org.debvisor.controller.provision;

/**
 * What a step did.
 *
 * @param changed true when it changed something on the host
 * @param detail one line for people, e.g. "installed debvisor-agent 0.1.0"
 */
record StepOutcome(boolean changed, String detail) {

  public static StepOutcome unchanged(String detail) {
    return new StepOutcome(false, detail);
  }

  public static StepOutcome changed(String detail) {
    return new StepOutcome(true, detail);
  }
}
