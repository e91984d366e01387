package org.debvisor.controller.pki;

/** Decides whether a presented bearer token is an operator's. */
public interface OperatorTokens {

  /** True when {@code presented} is an operator token this controller accepts. */
  boolean accepts(String presented);
}
