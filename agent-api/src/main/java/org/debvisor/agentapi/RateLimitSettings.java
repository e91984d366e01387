package org.debvisor.agentapi;

/**
 * Token buckets that keep any one caller, and all callers together, from flooding the agent. Status
 * reads and configuration changes have separate buckets so neither starves the other.
 *
 * @param statusPerCaller Status, WatchStatus, GetConfig, ConfigHistory and health, per caller
 * @param statusGlobal the same methods, all callers together
 * @param configPerCaller UpdateConfig, per caller
 * @param configGlobal UpdateConfig, all callers together
 */
public record RateLimitSettings(
    Bucket statusPerCaller, Bucket statusGlobal, Bucket configPerCaller, Bucket configGlobal) {

  public RateLimitSettings {
    statusPerCaller = statusPerCaller == null ? new Bucket(10_000, 5_000) : statusPerCaller;
    statusGlobal = statusGlobal == null ? new Bucket(100_000, 50_000) : statusGlobal;
    configPerCaller = configPerCaller == null ? new Bucket(10, 5) : configPerCaller;
    configGlobal = configGlobal == null ? new Bucket(50, 20) : configGlobal;
  }

  /**
   * A token bucket.
   *
   * @param capacity calls allowed in a burst
   * @param perSecond tokens added back each second
   */
  public record Bucket(long capacity, long perSecond) {}
}
