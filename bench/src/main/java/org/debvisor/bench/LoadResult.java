package org.debvisor.bench;

/**
 * The outcome of one load run; latencies in microseconds.
 *
 * @param scenario what was run, e.g. "closed loop, 64 in flight"
 * @param target which server, e.g. "agent" or "baseline"
 */
public record LoadResult(
    String scenario,
    String target,
    long requests,
    long errors,
    double seconds,
    double p50Micros,
    double p99Micros,
    double p999Micros,
    double maxMicros) {

  /** Completed requests per second. */
  public double qps() {
    return seconds == 0 ? 0 : requests / seconds;
  }
}
