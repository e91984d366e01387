package org.debvisor.controller.e2e;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.debvisor.controller.cli.DebvisorCli;

/**
 * {@code debvisor controller serve} run in process on a thread, stopped the way an interrupted
 * serve command stops (closing the server and the database), so the test can restart it on the same
 * state directory and port.
 */
final class ServedController implements AutoCloseable {

  private final Thread thread;
  private final StringWriter output = new StringWriter();

  private ServedController(Path stateDir, int port) throws Exception {
    Map<String, String> env = Map.of();
    List<String> args =
        List.of(
            "controller",
            "serve",
            "--state-dir",
            stateDir.toString(),
            "--listen",
            "127.0.0.1:" + port,
            "--heartbeat-interval",
            "1s",
            // Beside other controllers (the Molecule run's): no HTTPS API on the shared 8443.
            "--rest-listen",
            "off");
    thread =
        new Thread(
            () -> {
              var cli = DebvisorCli.create(null, env);
              cli.setOut(new PrintWriter(output, true));
              cli.setErr(new PrintWriter(output, true));
              cli.execute(args.toArray(String[]::new));
            },
            "served-controller");
    thread.start();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (!accepting(port)) {
      if (!thread.isAlive() || System.nanoTime() > deadline) {
        close();
        throw new IllegalStateException("controller did not start: " + output);
      }
      Thread.sleep(50);
    }
  }

  static ServedController start(Path stateDir, int port) throws Exception {
    return new ServedController(stateDir, port);
  }

  private static boolean accepting(int port) {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress("127.0.0.1", port), 500);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  @Override
  public void close() throws InterruptedException {
    thread.interrupt();
    thread.join(TimeUnit.SECONDS.toMillis(30));
    if (thread.isAlive()) {
      throw new IllegalStateException("controller did not stop within 30 s: " + output);
    }
  }
}
