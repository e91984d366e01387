package org.debvisor.controller.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Function;
import org.debvisor.controller.server.RunningController;
import picocli.CommandLine;

/**
 * A real controller over a temporary state directory, and the CLIs run in process against it with
 * their output captured: the set-up the CLI tests share.
 */
final class ServedCli implements AutoCloseable {

  final RunningController ctl;

  /** The environment the CLIs read (DEBVISOR_STATE_DIR and DEBVISOR_CONTROLLER set). */
  final Map<String, String> env = new HashMap<>();

  private volatile StringWriter out = new StringWriter();
  private volatile StringWriter err = new StringWriter();

  private ServedCli(Path state, RunningController ctl) {
    this.ctl = ctl;
    env.put("DEBVISOR_STATE_DIR", state.toString());
    env.put("DEBVISOR_CONTROLLER", ctl.target());
  }

  static ServedCli start(Path state) throws IOException {
    return new ServedCli(state, RunningController.start(state));
  }

  /** Runs {@code debvisor ARGS}; returns the exit code. */
  int run(String... args) {
    return run(e -> DebvisorCli.create(null, e), args);
  }

  /** Runs the CLI {@code tool} makes from the environment (cephctl, hvctl, ...). */
  int run(Function<Map<String, String>, CommandLine> tool, String... args) {
    StringWriter runOut = new StringWriter();
    StringWriter runErr = new StringWriter();
    out = runOut;
    err = runErr;
    CommandLine cli = tool.apply(env);
    cli.setOut(new PrintWriter(runOut, true));
    cli.setErr(new PrintWriter(runErr, true));
    return cli.execute(args);
  }

  /** Standard output of the latest run so far ("" before the first). */
  String out() {
    return out.toString();
  }

  /** Standard error of the latest run so far. */
  String err() {
    return err.toString();
  }

  @Override
  public void close() {
    ctl.close();
  }
}
