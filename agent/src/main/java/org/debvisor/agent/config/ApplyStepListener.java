package org.debvisor.agent.config;

/** Told each time an apply, commit or rollback passes an {@link ApplyStep}. */
@FunctionalInterface
interface ApplyStepListener {

  ApplyStepListener NONE = step -> {};

  void reached(ApplyStep step);
}
