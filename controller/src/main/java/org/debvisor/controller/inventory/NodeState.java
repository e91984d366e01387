package org.debvisor.controller.inventory;

/** Enrolment state of a node as stored in the inventory. */
public enum NodeState {
  ACTIVE,
  REVOKED
}
