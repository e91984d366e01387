package org.debvisor.bench;

/**
 * The outcome of one load run; latencies in microseconds.
 *
 * @param scenario what was run, e.g. "closed loop, 64 in flight"
 * @param target which server, e.g. "agent" or "baseline"
 * @param serverCpuMicros CPU time the server process used during the run
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
    double maxMicros,
    double serverCpuMicros) {

  /** A result from a latency histogram recorded in microseconds. */
  static LoadResult of(
      String scenario,
      String target,
      org.HdrHistogram.Histogram latencies,
      long requests,
      long errors,
      double seconds) {
    return new LoadResult(
        scenario,
        target,
        requests,
        errors,
        seconds,
        latencies.getValueAtPercentile(50),
        latencies.getValueAtPercentile(99),
        latencies.getValueAtPercentile(99.9),
        latencies.getMaxValue(),
        0);
  }

  /** The same result with the server's CPU time (user + system) spent during the run. */
  public LoadResult withServerCpu(double micros) {
    return new LoadResult(
        scenario,
        target,
        requests,
        errors,
        seconds,
        p50Micros,
        p99Micros,
        p999Micros,
        maxMicros,
        micros);
  }

  /** Completed requests per second. */
  public double qps() {
    return seconds == 0 ? 0 : requests / seconds;
  }
}
