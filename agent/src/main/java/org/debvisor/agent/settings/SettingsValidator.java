package org.debvisor.agent.settings;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** Checks the rules that a YAML schema cannot express: ranges, files, TLS on non-loopback. */
final class SettingsValidator {

  private static final int MIN_MESSAGE_BYTES = 1024;
  private static final int MAX_MESSAGE_BYTES = 64 * 1024 * 1024;
  private static final Set<String> LEVELS = Set.of("TRACE", "DEBUG", "INFO", "WARN", "ERROR");

  private final List<SettingsProblem> problems = new ArrayList<>();

  List<SettingsProblem> validate(AgentSettings s) {
    problems.clear();
    grpc(s.grpc());
    http(s.http());
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
    if (!s.logging().format().equals("json") && !s.logging().format().equals("text")) {
      add("logging.format", "must be json or text, not '" + s.logging().format() + "'");
    }
    if (!LEVELS.contains(s.logging().level())) {
      add("logging.level", "must be one of TRACE, DEBUG, INFO, WARN, ERROR");
    }
    return List.copyOf(problems);
  }

  private void grpc(GrpcSettings grpc) {
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
      if (!address.isLoopback() && !grpc.tls().configured()) {
        add(
            key,
            address
                + " is not a loopback address and plaintext is only allowed on loopback;"
                + " set grpc.tls.certFile and grpc.tls.keyFile, or listen on 127.0.0.1");
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

  private void http(HttpSettings http) {
    if (http.enabled()) {
      try {
        ListenAddress.parse(http.listen());
      } catch (IllegalArgumentException e) {
        add("http.listen", e.getMessage() + "; or \"\" to disable");
      }
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
    if (file != null && !Files.isReadable(file)) {
      add(key, file + " does not exist or cannot be read");
    }
  }

  private void add(String key, String rule) {
    problems.add(new SettingsProblem(key, rule));
  }
}
