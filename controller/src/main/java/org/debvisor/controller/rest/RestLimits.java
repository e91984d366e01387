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

  private RestLimits() {}
}
