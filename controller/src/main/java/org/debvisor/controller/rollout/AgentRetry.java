package org.debvisor.controller.rollout;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.time.Duration;
import java.util.function.Supplier;

/**
 * A bounded retry for agent calls: only when the agent could not be reached or did not answer in
 * time (UNAVAILABLE, DEADLINE_EXCEEDED, RESOURCE_EXHAUSTED from its rate limit), at most {@code
 * attempts} tries with a doubling pause. The last failure is thrown.
 */
final class AgentRetry {

  private final int attempts;
  private final Duration firstPause;

  AgentRetry(int attempts, Duration firstPause) {
    this.attempts = attempts;
    this.firstPause = firstPause;
  }

  int attempts() {
    return attempts;
  }

  <T> T call(Supplier<T> rpc) throws InterruptedException {
    long pause = firstPause.toMillis();
    for (int attempt = 1; ; attempt++) {
      try {
        return rpc.get();
      } catch (StatusRuntimeException e) {
        if (attempt >= attempts || !transientFailure(e)) {
          throw e;
        }
      }
      Thread.sleep(pause);
      pause *= 2;
    }
  }

  static boolean transientFailure(StatusRuntimeException e) {
    Status.Code code = e.getStatus().getCode();
    return code == Status.Code.UNAVAILABLE
        || code == Status.Code.DEADLINE_EXCEEDED
        || code == Status.Code.RESOURCE_EXHAUSTED;
  }
}
