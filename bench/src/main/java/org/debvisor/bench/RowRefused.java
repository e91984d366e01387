package org.debvisor.bench;

/**
 * A benchmark row that does not count (a server answered errors, a check failed): the run keeps
 * going with the other rows, and the page shows this row as REFUSED with {@link #getMessage()}.
 */
final class RowRefused extends Exception {

  RowRefused(String reason) {
    super(reason);
  }

  /** The row's entry in the common table: its scenario marked REFUSED, no figures. */
  static LoadResult row(String scenario, String server, String reason) {
    return new LoadResult(
        scenario + " — REFUSED: " + reason.replace("|", "/").replace("\n", " "),
        server,
        0,
        0,
        0,
        0,
        0,
        0,
        0,
        0);
  }
}
