package org.debvisor.controller.cli;

import java.io.PrintWriter;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.Callable;
import org.debvisor.controller.cli.output.RolloutTable;
import org.debvisor.proto.ChangeRolloutRequest;
import org.debvisor.proto.ChangeRolloutRequest.Action;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/**
 * {@code debvisor rollout pause|resume|approve|abort|rollback ID}: one operator command each; the
 * subclasses only name the action.
 */
abstract class RolloutChangeCommand implements Callable<Integer> {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Parameters(index = "0", paramLabel = "ID", description = "Rollout id (see `rollout list`).")
  String id;

  @Mixin ControllerClientOptions client;

  private final Map<String, String> env;
  private final Action action;

  RolloutChangeCommand(Map<String, String> env, Action action) {
    this.env = env;
    this.action = action;
  }

  @Override
  public Integer call() {
    PrintWriter err = spec.commandLine().getErr();
    PrintWriter out = spec.commandLine().getOut();
    return ControllerCall.once(
        client,
        env,
        err,
        c -> c.changeRollout(ChangeRolloutRequest.newBuilder().setId(id).setAction(action).build()),
        r -> RolloutTable.show(r.toBuilder().clearNodes().build(), Instant.now(), out));
  }

  @Command(
      name = "pause",
      mixinStandardHelpOptions = true,
      description = "Stop updating further nodes (nodes in flight finish); `resume` continues.",
      exitCodeListHeading = "%nExit codes:%n",
      exitCodeList = {"0:done", "1:refused in this state, unknown or unreachable", "2:invalid"})
  static final class Pause extends RolloutChangeCommand {
    Pause(Map<String, String> env) {
      super(env, Action.PAUSE);
    }
  }

  @Command(
      name = "resume",
      mixinStandardHelpOptions = true,
      description = "Continue a paused rollout.",
      exitCodeListHeading = "%nExit codes:%n",
      exitCodeList = {"0:done", "1:refused in this state, unknown or unreachable", "2:invalid"})
  static final class Resume extends RolloutChangeCommand {
    Resume(Map<String, String> env) {
      super(env, Action.RESUME);
    }
  }

  @Command(
      name = "approve",
      mixinStandardHelpOptions = true,
      description = "Start the first wave of a rollout waiting after its canary.",
      exitCodeListHeading = "%nExit codes:%n",
      exitCodeList = {"0:done", "1:refused in this state, unknown or unreachable", "2:invalid"})
  static final class Approve extends RolloutChangeCommand {
    Approve(Map<String, String> env) {
      super(env, Action.APPROVE);
    }
  }

  @Command(
      name = "abort",
      mixinStandardHelpOptions = true,
      description = "Stop a rollout for good; changed nodes keep the new version.",
      exitCodeListHeading = "%nExit codes:%n",
      exitCodeList = {"0:done", "1:refused in this state, unknown or unreachable", "2:invalid"})
  static final class Abort extends RolloutChangeCommand {
    Abort(Map<String, String> env) {
      super(env, Action.ABORT);
    }
  }

  @Command(
      name = "rollback",
      mixinStandardHelpOptions = true,
      description = "Restore every node the rollout changed to its previous version, newest first.",
      exitCodeListHeading = "%nExit codes:%n",
      exitCodeList = {"0:done", "1:refused in this state, unknown or unreachable", "2:invalid"})
  static final class Rollback extends RolloutChangeCommand {
    Rollback(Map<String, String> env) {
      super(env, Action.ROLLBACK);
    }
  }
}
