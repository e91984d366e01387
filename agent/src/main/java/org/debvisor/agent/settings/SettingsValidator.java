package org.debvisor.agent.settings;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.debvisor.agentapi.AgentSettings;
import org.debvisor.agentapi.AuthSettings;
import org.debvisor.agentapi.CollectorsSettings;
import org.debvisor.agentapi.ConfigSettings;
import org.debvisor.agentapi.ControllerSettings;
import org.debvisor.agentapi.GrpcSettings;
import org.debvisor.agentapi.HttpSettings;
import org.debvisor.agentapi.RateLimitSettings;
import org.debvisor.agentapi.TlsSettings;

/**
 * Checks the rules that a YAML schema cannot express: ranges, files, TLS (configured or from
 * enrolment) on non-loopback addresses.
 */
final class SettingsValidator {

  private static final int MIN_MESSAGE_BYTES = 1024;
  private static final int MAX_MESSAGE_BYTES = 64 * 1024 * 1024;
  private static final Set<String> PROFILES = Set.of("", "ceph", "hypervisor", "k8s");
  private static final Set<String> LEVELS = Set.of("TRACE", "DEBUG", "INFO", "WARN", "ERROR");

  private final List<SettingsProblem> problems = new ArrayList<>();
  private final Path root;

  SettingsValidator(Path root) {
    this.root = root;
  }

  List<SettingsProblem> validate(AgentSettings s) {
    problems.clear();
    grpc(s.grpc(), s.controller().enabled());
    http(s.http());
    controller(s.controller());
    CollectorsSettings c = s.collectors();
    schedule("collectors.ceph", c.ceph().interval(), c.ceph().timeout());
    positive("collectors.ceph.connectTimeout", c.ceph().connectTimeout());
    if (c.ceph().clientId().isEmpty() || c.ceph().clientId().startsWith("client.")) {
      add("collectors.ceph.clientId", "give the cephx user without 'client.', e.g. debvisor");
    }
    schedule("collectors.hypervisor", c.hypervisor().interval(), c.hypervisor().timeout());
    if (c.hypervisor().uri().isEmpty()) {
      add("collectors.hypervisor.uri", "must not be empty (e.g. qemu:///system)");
    }
    if (c.hypervisor().maxDomains() < 0 || c.hypervisor().maxDomains() > 100_000) {
      add("collectors.hypervisor.maxDomains", "must be from 0 to 100000");
    }
    schedule("collectors.kubernetes", c.kubernetes().interval(), c.kubernetes().timeout());
    schedule("collectors.system", c.system().interval(), c.system().timeout());
    int warn = c.system().filesystemWarnPercent();
    int error = c.system().filesystemErrorPercent();
    if (warn < 1 || warn > 100) {
      add("collectors.system.filesystemWarnPercent", "must be from 1 to 100");
    }
    if (error < 1 || error > 100) {
      add("collectors.system.filesystemErrorPercent", "must be from 1 to 100");
    } else if (warn > error) {
      add("collectors.system.filesystemWarnPercent", "must not be above filesystemErrorPercent");
    }
    config(s.config());
    auth(s.auth());
    RateLimitSettings limits = s.rateLimits();
    bucket("rateLimits.statusPerCaller", limits.statusPerCaller());
    bucket("rateLimits.statusGlobal", limits.statusGlobal());
    bucket("rateLimits.configPerCaller", limits.configPerCaller());
    bucket("rateLimits.configGlobal", limits.configGlobal());
    if (!s.logging().format().equals("json") && !s.logging().format().equals("text")) {
      add("logging.format", "must be json or text, not '" + s.logging().format() + "'");
    }
    if (!LEVELS.contains(s.logging().level())) {
      add("logging.level", "must be one of TRACE, DEBUG, INFO, WARN, ERROR");
    }
    return List.copyOf(problems);
  }

  private void grpc(GrpcSettings grpc, boolean enrols) {
    if (grpc.listen().isEmpty()) {
      add("grpc.listen", "needs at least one address, e.g. 127.0.0.1:5000");
    }
    for (int i = 0; i < grpc.listen().size(); i++) {
      String key = "grpc.listen[" + i + "]";
      ListenAddress address;
      try {
        address = ListenAddress.parse(grpc.listen().get(i));
      } catch (IllegalArgumentException e) {
        add(key, e.getMessage());
        continue;
      }
      if (!address.isLoopback() && !grpc.tls().configured() && !enrols) {
        add(
            key,
            address
                + " is not a loopback address and plaintext is only allowed on loopback;"
                + " set grpc.tls.certFile and grpc.tls.keyFile, set controller.address to serve"
                + " the certificate issued at enrolment, or listen on 127.0.0.1");
      }
    }
    TlsSettings tls = grpc.tls();
    if ((tls.certFile() == null) != (tls.keyFile() == null)) {
      add("grpc.tls", "certFile and keyFile must be given together");
    }
    readable("grpc.tls.certFile", tls.certFile());
    readable("grpc.tls.keyFile", tls.keyFile());
    readable("grpc.tls.clientCaFile", tls.clientCaFile());
    if (tls.clientCaFile() != null && !tls.configured()) {
      add("grpc.tls.clientCaFile", "needs grpc.tls.certFile and grpc.tls.keyFile");
    }
    int max = grpc.maxInboundMessageBytes();
    if (max < MIN_MESSAGE_BYTES || max > MAX_MESSAGE_BYTES) {
      add(
          "grpc.maxInboundMessageBytes",
          "must be from " + MIN_MESSAGE_BYTES + " to " + MAX_MESSAGE_BYTES + ", not " + max);
    }
    if (grpc.watchHeartbeat().compareTo(Duration.ofSeconds(1)) < 0
        || grpc.watchHeartbeat().compareTo(Duration.ofHours(1)) > 0) {
      add("grpc.watchHeartbeat", "must be from 1s to 1h");
    }
  }

  private void controller(ControllerSettings c) {
    if (!c.enabled()) {
      return;
    }
    if (c.addresses().isEmpty()) {
      add("controller.address", "names no host:port; or \"\" to run without a controller");
    }
    for (String address : c.addresses()) {
      try {
        ListenAddress.parse(address);
      } catch (IllegalArgumentException e) {
        add(
            "controller.address",
            e.getMessage()
                + "; list several controllers separated by commas (ctl-a:5443,ctl-b:5443),"
                + " or \"\" to run without a controller");
      }
    }
    if (!Files.isReadable(onNode(c.caFile()))) {
      add(
          "controller.caFile",
          c.caFile()
              + " does not exist or cannot be read; copy the controller's CA certificate there"
              + " (the agent trusts no other authority when it enrols)");
    }
    if (!c.stateDir().isAbsolute()) {
      add("controller.stateDir", "must be an absolute path");
    }
    if (!c.tokenFile().isAbsolute()) {
      add("controller.tokenFile", "must be an absolute path");
    }
    if (!c.advertiseAddress().isEmpty()) {
      try {
        ListenAddress.parse(c.advertiseAddress());
      } catch (IllegalArgumentException e) {
        add("controller.advertiseAddress", e.getMessage() + "; or \"\" to derive it");
      }
    }
    if (c.heartbeatInterval().compareTo(Duration.ofSeconds(1)) < 0
        || c.heartbeatInterval().compareTo(Duration.ofHours(1)) > 0) {
      add("controller.heartbeatInterval", "must be from 1s to 1h");
    }
    if (c.retryMax().compareTo(Duration.ofSeconds(1)) < 0
        || c.retryMax().compareTo(Duration.ofHours(24)) > 0) {
      add("controller.retryMax", "must be from 1s to 24h");
    }
    if (!PROFILES.contains(c.profile())) {
      add("controller.profile", "must be ceph, hypervisor, k8s or \"\", not '" + c.profile() + "'");
    }
  }

  private void http(HttpSettings http) {
    if (http.enabled()) {
      try {
        ListenAddress.parse(http.listen());
      } catch (IllegalArgumentException e) {
        add("http.listen", e.getMessage() + "; or \"\" to disable");
      }
    }
  }

  private void config(ConfigSettings c) {
    if (!c.stateDir().isAbsolute()) {
      add("config.stateDir", "must be an absolute path");
    }
    if (c.allowedRoots().isEmpty()) {
      add("config.allowedRoots", "needs at least one directory, e.g. /etc/debvisor/managed");
    }
    for (int i = 0; i < c.allowedRoots().size(); i++) {
      Path root = c.allowedRoots().get(i);
      if (!root.isAbsolute() || !root.normalize().equals(root) || root.getNameCount() == 0) {
        add(
            "config.allowedRoots[" + i + "]",
            "must be an absolute, normalised directory other than /");
      }
    }
    range("config.maxFileBytes", c.maxFileBytes(), 1, MAX_MESSAGE_BYTES);
    range("config.maxBundleBytes", c.maxBundleBytes(), 1, MAX_MESSAGE_BYTES);
    range("config.maxFiles", c.maxFiles(), 1, 10_000);
    range("config.historyLimit", c.historyLimit(), 1, 1_000_000);
    command("config.reloadCommand", c.reloadCommand());
    command("config.restartCommand", c.restartCommand());
    command("config.unitActiveCommand", c.unitActiveCommand());
    for (var entry : c.gateCommands().entrySet()) {
      if (!entry.getKey().matches("[A-Za-z0-9._-]{1,64}")) {
        add("config.gateCommands." + entry.getKey(), "names are 1-64 characters of A-Za-z0-9._-");
      }
      command("config.gateCommands." + entry.getKey(), entry.getValue());
    }
  }

  private void auth(AuthSettings a) {
    for (int i = 0; i < a.tokens().size(); i++) {
      AuthSettings.TokenSettings t = a.tokens().get(i);
      String key = "auth.tokens[" + i + "]";
      if (t == null || t.name() == null || !t.name().matches("[A-Za-z0-9._@-]{1,64}")) {
        add(key + ".name", "1-64 characters of A-Za-z0-9._@-");
      }
      if (t == null || t.sha256() == null || !t.sha256().matches("[0-9a-f]{64}")) {
        add(
            key + ".sha256",
            "the token's SHA-256 as 64 lower-case hex digits (printf %s TOKEN | sha256sum)");
      }
    }
  }

  private void bucket(String key, RateLimitSettings.Bucket b) {
    if (b.capacity() < 1 || b.perSecond() < 1) {
      add(key, "capacity and perSecond must both be at least 1");
    }
  }

  private void range(String key, int value, int min, int max) {
    if (value < min || value > max) {
      add(key, "must be from " + min + " to " + max + ", not " + value);
    }
  }

  private void command(String key, java.util.List<String> argv) {
    if (argv == null || argv.isEmpty() || argv.get(0) == null || argv.get(0).isBlank()) {
      add(key, "must be a non-empty list: the program and its arguments");
    }
  }

  private void schedule(String section, Duration interval, Duration timeout) {
    positive(section + ".interval", interval);
    positive(section + ".timeout", timeout);
    if (!interval.isZero() && !timeout.isZero() && timeout.compareTo(interval) > 0) {
      add(section + ".timeout", "must not be longer than " + section + ".interval");
    }
  }

  private void positive(String key, Duration value) {
    if (value.isZero() || value.isNegative()) {
      add(key, "must be longer than 0 (e.g. 15s)");
    }
  }

  private void readable(String key, Path file) {
    if (file != null && !Files.isReadable(onNode(file))) {
      add(key, file + " does not exist or cannot be read");
    }
  }

  private Path onNode(Path file) {
    return file.isAbsolute() ? root.resolve(file.getRoot().relativize(file)) : file;
  }

  private void add(String key, String rule) {
    problems.add(new SettingsProblem(key, rule));
  }
}
