package org.debvisor.agent.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.debvisor.agentapi.ConfigSettings;
import org.debvisor.common.process.ProcessRunner;
import org.debvisor.common.violation.Violation;
import org.debvisor.proto.ServiceAction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServiceReloaderTest {

  @TempDir Path dir;

  private ServiceReloader reloader(Path log) {
    ConfigSettings settings =
        new ConfigSettings(
            null,
            null,
            null,
            null,
            null,
            null,
            List.of("ceph-*.service", "nginx.service"),
            List.of("sh", "-c", "echo reload $0 >> " + log, "{unit}"),
            List.of(
                "sh",
                "-c",
                "echo restart $0 >> " + log + "; test $0 != ceph-broken.service",
                "{unit}"),
            null,
            null);
    return new ServiceReloader(settings, new ProcessRunner());
  }

  private static ServiceAction action(String unit, ServiceAction.Action action) {
    return ServiceAction.newBuilder().setUnit(unit).setAction(action).build();
  }

  @Test
  void runsTheConfiguredCommandsInOrder() throws Exception {
    Path log = dir.resolve("log");
    reloader(log)
        .apply(
            List.of(
                action("nginx.service", ServiceAction.Action.RELOAD),
                action("ceph-mon@a.service", ServiceAction.Action.RESTART)));

    assertThat(Files.readAllLines(log))
        .containsExactly("reload nginx.service", "restart ceph-mon@a.service");
  }

  @Test
  void aFailingCommandStopsAndNamesTheUnit() {
    Path log = dir.resolve("log");

    assertThatThrownBy(
            () ->
                reloader(log)
                    .apply(
                        List.of(
                            action("ceph-broken.service", ServiceAction.Action.RESTART),
                            action("nginx.service", ServiceAction.Action.RELOAD))))
        .isInstanceOf(ServiceReloader.ServiceReloadException.class)
        .hasMessageContaining("restarting ceph-broken.service failed")
        .hasMessageContaining("exit 1");
  }

  @Test
  void onlyAllowedUnitsWithSaneNamesAndActionsPassValidation() {
    var violations =
        reloader(dir.resolve("log"))
            .validate(
                List.of(
                    action("nginx.service", ServiceAction.Action.RELOAD),
                    action("sshd.service", ServiceAction.Action.RESTART),
                    action("x.service; reboot", ServiceAction.Action.RELOAD),
                    action("ceph-osd@1.service", ServiceAction.Action.ACTION_UNSPECIFIED)));

    assertThat(violations)
        .extracting(Violation::field)
        .containsExactly(
            "bundle.services[1].unit", "bundle.services[2].unit", "bundle.services[3].action");
    assertThat(violations.get(0).rule()).contains("config.allowedUnits", "ceph-*.service");
  }
}
