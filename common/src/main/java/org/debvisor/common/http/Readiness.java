package org.debvisor.common.http;

/** Why a process is not ready to serve yet, for {@code /readyz}. */
@FunctionalInterface
public interface Readiness {

  /** Ready as soon as it answers at all. */
  Readiness ALWAYS = () -> "";

  /** Why the process is not ready, or empty when it is. */
  String notReadyReason();
}
