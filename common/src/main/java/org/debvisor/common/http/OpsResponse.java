package org.debvisor.common.http;

/**
 * What an ops endpoint answers.
 *
 * @param status HTTP status code
 * @param contentType the {@code Content-Type} header
 * @param body the body, sent as UTF-8 (and left out for HEAD)
 */
public record OpsResponse(int status, String contentType, String body) {

  /** What Prometheus expects from {@code /metrics}. */
  public static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";

  public static OpsResponse text(int status, String body) {
    return new OpsResponse(status, "text/plain; charset=utf-8", body);
  }

  public static OpsResponse metrics(String body) {
    return new OpsResponse(200, PROMETHEUS_TEXT, body);
  }
}
