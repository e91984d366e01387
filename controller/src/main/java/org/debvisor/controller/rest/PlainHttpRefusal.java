package org.debvisor.controller.rest;

import com.linecorp.armeria.common.HttpRequest;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.server.HttpService;
import com.linecorp.armeria.server.ServiceRequestContext;
import com.linecorp.armeria.server.SimpleDecoratingHttpService;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Plain HTTP on the API port: the port also accepts cleartext so such a client gets a 400 problem
 * naming HTTPS instead of a failed TLS handshake (whose per-connection WARN flooded the log). The
 * request is never handed to a route. Refusals are counted in {@code
 * debvisor_rest_plain_http_refused_total} and logged at most once per {@link #LOG_INTERVAL}.
 */
final class PlainHttpRefusal {

  static final Duration LOG_INTERVAL = Duration.ofMinutes(1);

  private static final Logger log = LoggerFactory.getLogger(PlainHttpRefusal.class);

  private final Counter refused;
  private final Clock clock;
  private final LogThrottle throttle = new LogThrottle(LOG_INTERVAL);

  PlainHttpRefusal(MeterRegistry registry, Clock clock) {
    this.refused =
        Counter.builder("debvisor.rest.plain.http.refused")
            .description("Plain-HTTP requests to the HTTPS API port, answered 400")
            .register(registry);
    this.clock = clock;
  }

  /** Wraps every service of the server: TLS requests pass, cleartext ones are refused. */
  HttpService decorate(HttpService delegate) {
    return new SimpleDecoratingHttpService(delegate) {
      @Override
      public HttpResponse serve(ServiceRequestContext ctx, HttpRequest req) throws Exception {
        if (ctx.sessionProtocol().isTls()) {
          return unwrap().serve(ctx, req);
        }
        return refuse(ctx);
      }
    };
  }

  private HttpResponse refuse(ServiceRequestContext ctx) {
    refused.increment();
    long count = throttle.record(clock.instant());
    if (count > 0) {
      log.warn(
          "{} plain-HTTP request(s) to the HTTPS API port refused since the last such line (latest from"
              + " {}); clients must use https://",
          count,
          ctx.clientAddress().getHostAddress());
    }
    // Closing the connection after the answer: nothing more should travel in cleartext.
    ctx.initiateConnectionShutdown();
    return Problems.response(
        ApiProblem.badRequest(
            "scheme",
            "this port speaks HTTPS only; send the request to https://"
                + authority(ctx)
                + ctx.path()));
  }

  private static String authority(ServiceRequestContext ctx) {
    String sent = ctx.request().authority();
    if (sent != null && !sent.isBlank()) {
      return sent;
    }
    InetSocketAddress local = ctx.localAddress();
    return local.getAddress().getHostAddress() + ":" + local.getPort();
  }
}
