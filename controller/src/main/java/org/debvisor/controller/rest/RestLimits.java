package org.debvisor.controller.rest;

import java.time.Duration;

/** Bounds on what one client may cost the API, so slow or stalled clients cannot pile up. */
final class RestLimits {

  /** Every API body is a small JSON document. */
  static final long MAX_BODY_BYTES = 64 * 1024;

  /** A whole request (body received and answer sent). */
  static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(15);

  /** A connection without requests is closed after this. */
  static final Duration IDLE_TIMEOUT = Duration.ofSeconds(60);

  static final int MAX_HEADER_BYTES = 16 * 1024;
  static final int MAX_CONNECTIONS = 1_000;
  static final int BLOCKING_THREADS = 16;

  /** Logins waiting for a core beyond this are refused (503); 200 wait ~20 s at 100 ms each. */
  static final int MAX_QUEUED_LOGINS = 256;

  /**
   * How old a shared node-list answer may be when only heartbeats changed the inventory (last seen,
   * last status, stale); a durable write shows in the next list at once.
   */
  static final Duration LIST_MAX_AGE = Duration.ofSeconds(1);

  /** Node-list answers kept, each at most MAX_LIMIT nodes (~0.5 MB at 1 000). */
  static final int LIST_CACHE_ENTRIES = 32;

  private RestLimits() {}
}
