package org.debvisor.controller.audit;

/**
 * One action to record: who did what to which target, from where, with what result, plus a short
 * detail (never a secret).
 */
public record AuditEntry(
    String actor, String action, String target, String source, String result, String detail) {

  public AuditEntry {
    actor = nonNull(actor);
    action = nonNull(action);
    target = nonNull(target);
    source = nonNull(source);
    result = nonNull(result);
    detail = nonNull(detail);
  }

  private static String nonNull(String s) {
    return s == null ? "" : s;
  }
}
