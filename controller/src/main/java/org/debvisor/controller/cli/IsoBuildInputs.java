package org.debvisor.controller.cli;

import java.io.IOException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import org.debvisor.controller.node.InvalidInputException;
import org.debvisor.controller.node.NodeLoader;
import org.debvisor.controller.preseed.PreseedData;

/**
 * What {@code iso build} reads whatever its node.yaml: the YAML reader, prepared (Jackson's start
 * is the largest part of a warm build after the JVM's), and the preseed data. Started on a
 * background thread, they load while picocli still builds and parses the command line; otherwise
 * the first caller loads them. Errors reach the caller as if it had loaded them itself.
 */
final class IsoBuildInputs {

  private final FutureTask<NodeLoader> loader = new FutureTask<>(() -> new NodeLoader().prepare());
  private final FutureTask<PreseedData> data;

  IsoBuildInputs(PreseedDataLocator locator) {
    this.data = new FutureTask<>(() -> locator.load(null));
  }

  /** Loads both on a daemon thread; calls after the first do nothing more. */
  void startLoading() {
    Thread.ofPlatform()
        .daemon()
        .name("iso-build-inputs")
        .start(
            () -> {
              loader.run();
              data.run();
            });
  }

  NodeLoader nodeLoader() {
    loader.run(); // nothing when the background thread ran it or is running it
    try {
      return loader.get();
    } catch (ExecutionException e) {
      throw unchecked(e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while preparing the node.yaml reader", e);
    }
  }

  PreseedData preseedData() throws InvalidInputException, IOException {
    data.run();
    try {
      return data.get();
    } catch (ExecutionException e) {
      switch (e.getCause()) {
        case InvalidInputException invalid -> throw invalid;
        case IOException io -> throw io;
        default -> throw unchecked(e.getCause());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while loading the preseed data", e);
    }
  }

  private static RuntimeException unchecked(Throwable cause) {
    if (cause instanceof RuntimeException runtime) {
      return runtime;
    }
    if (cause instanceof Error error) {
      throw error;
    }
    return new IllegalStateException(cause);
  }
}
