package org.debvisor.controller.cli.output;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;
import org.debvisor.controller.provision.HostResult;
import org.debvisor.controller.provision.ProgressListener;
import org.debvisor.controller.provision.StepResult;
import org.debvisor.controller.ssh.SshTarget;

/** What {@code provision-node} prints: live step lines, then a table or JSON of the hosts. */
public final class ProvisionReport {

  private ProvisionReport() {}

  public static String table(List<HostResult> results) {
    StringBuilder b = new StringBuilder("\n");
    String fmt = "%-28s %-7s %-8s %-13s %7s  %s%n";
    b.append(
        String.format(
            Locale.ROOT, fmt, "HOST", "RESULT", "CHANGED", "FAILED STEP", "TIME", "DETAIL"));
    for (HostResult r : results) {
      StepResult f = r.failure();
      b.append(
          String.format(
              Locale.ROOT,
              fmt,
              r.target(),
              r.ok() ? "ok" : "FAILED",
              r.changed() ? "changed" : "no",
              f == null ? "-" : f.step(),
              String.format(Locale.ROOT, "%.1fs", r.elapsed().toMillis() / 1000.0),
              f != null ? firstLine(f.detail()) : r.changed() ? "provisioned" : "nothing changed"));
    }
    long failed = results.stream().filter(r -> !r.ok()).count();
    long changed = results.stream().filter(r -> r.ok() && r.changed()).count();
    b.append(
        String.format(
            Locale.ROOT,
            "%n%d host(s): %d ok (%d changed, %d unchanged), %d failed%n",
            results.size(),
            results.size() - failed,
            changed,
            results.size() - failed - changed,
            failed));
    for (HostResult r : results) {
      StepResult f = r.failure();
      if (f != null) {
        b.append("\n")
            .append(r.target())
            .append(" failed at ")
            .append(f.step())
            .append(": ")
            .append(f.detail())
            .append('\n');
        if (!f.stderr().isEmpty()) {
          b.append("  stderr:\n");
          f.stderr().lines().forEach(l -> b.append("    ").append(l).append('\n'));
        }
      }
      if (r.acceptedHostKey() != null) {
        b.append("\n")
            .append(r.target())
            .append(": new host key trusted and recorded: ")
            .append(r.acceptedHostKey())
            .append('\n');
      }
    }
    return b.toString();
  }

  public static String json(List<HostResult> results) {
    ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    ObjectNode root = mapper.createObjectNode();
    root.put("ok", results.stream().allMatch(HostResult::ok));
    ArrayNode hostsNode = root.putArray("hosts");
    for (HostResult r : results) {
      ObjectNode h = hostsNode.addObject();
      h.put("host", r.target().toString());
      h.put("ok", r.ok());
      h.put("changed", r.changed());
      h.put("seconds", r.elapsed().toMillis() / 1000.0);
      StepResult f = r.failure();
      h.put("failedStep", f == null ? null : f.step());
      h.put("error", f == null ? null : f.detail());
      h.put("stderr", f == null ? null : f.stderr());
      h.put("acceptedHostKey", r.acceptedHostKey());
      ArrayNode steps = h.putArray("steps");
      for (StepResult s : r.steps()) {
        ObjectNode sn = steps.addObject();
        sn.put("step", s.step());
        sn.put("ok", s.ok());
        sn.put("changed", s.changed());
        sn.put("detail", s.detail());
        sn.put("seconds", s.elapsed().toMillis() / 1000.0);
      }
    }
    try {
      return mapper.writeValueAsString(root);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String firstLine(String s) {
    int nl = s.indexOf('\n');
    return nl < 0 ? s : s.substring(0, nl);
  }

  /** One line per finished step, as hosts progress. */
  public static final class LiveProgress implements ProgressListener {
    private final PrintWriter out;

    public LiveProgress(PrintWriter out) {
      this.out = out;
    }

    @Override
    public void stepFinished(SshTarget target, StepResult r) {
      synchronized (out) {
        out.printf(
            Locale.ROOT,
            "%-28s %-13s %-9s %s%n",
            target,
            r.step(),
            !r.ok() ? "FAILED" : r.changed() ? "changed" : "ok",
            firstLine(r.detail()));
        out.flush();
      }
    }

    @Override
    public void note(SshTarget target, String message) {
      synchronized (out) {
        out.printf(Locale.ROOT, "%-28s note: %s%n", target, message);
        out.flush();
      }
    }
  }
}
