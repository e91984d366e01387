package org.debvisor.agent.settings;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.debvisor.agentapi.AgentPaths;
import org.debvisor.agentapi.AgentSettings;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Ansible role's agent.yaml template, rendered with the role's defaults and enrolment variables
 * by Jinja2 (as Ansible's template module does: trim_blocks, to_json), is a file the agent's own
 * loader accepts.
 */
class AnsibleAgentTemplateTest {

  private static final Path ROLE = Path.of("..", "ansible", "roles", "debvisor_agent");

  // Renders templates/agent.yaml.j2 with defaults/main.yml overridden by argv[1] (JSON).
  private static final String RENDER =
      """
      import json, sys, yaml, jinja2
      role = sys.argv[1]
      with open(role + '/defaults/main.yml') as f:
          variables = yaml.safe_load(f)
      variables.update(json.loads(sys.argv[2]))
      env = jinja2.Environment(
          loader=jinja2.FileSystemLoader(role + '/templates'),
          trim_blocks=True, keep_trailing_newline=True, undefined=jinja2.StrictUndefined)
      env.filters['to_json'] = json.dumps
      sys.stdout.write(env.get_template('agent.yaml.j2').render(**variables))
      """;

  @TempDir Path root;

  @BeforeAll
  static void needsJinja2() throws Exception {
    // scripts/test.sh installs them: a missing one is a broken set-up, not a reason to skip.
    assertThat(run("python3", "-c", "import jinja2, yaml").exitValue())
        .as(
            "python3 with jinja2 and yaml is not installed (python3-jinja2, python3-yaml: see"
                + " DEBVISOR_TEST_PACKAGES in scripts/lib/packages.sh; scripts/test.sh installs"
                + " them)")
        .isZero();
  }

  private AgentSettings renderAndLoad(String variables) throws Exception {
    Process p = run("python3", "-c", RENDER, ROLE.toString(), variables);
    String yaml = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.exitValue()).as("jinja2 rendering failed: %s", err).isZero();
    Path config = root.resolve(AgentPaths.CONFIG_FILE.substring(1));
    Files.createDirectories(config.getParent());
    Files.writeString(config, yaml);
    // The role copies the CA next to it (debvisor_agent_controller_ca_src).
    Files.writeString(root.resolve(AgentPaths.CA_FILE.substring(1)), "pem");
    return new SettingsLoader(root).load(config);
  }

  @Test
  void enrollingNodeLoadsWithItsControllerCaAndTokenFile() throws Exception {
    AgentSettings s =
        renderAndLoad(
            """
            {"ansible_managed": "Ansible managed", "debvisor_agent_profile": "ceph",
             "debvisor_agent_node_address": "192.0.2.7",
             "debvisor_agent_controller_address": "ctl.example.org:5443"}
            """);

    assertThat(s.controller().enabled()).isTrue();
    assertThat(s.controller().address()).isEqualTo("ctl.example.org:5443");
    assertThat(s.controller().caFile()).isEqualTo(Path.of(AgentPaths.CA_FILE));
    assertThat(s.controller().tokenFile()).isEqualTo(Path.of(AgentPaths.TOKEN_FILE));
    assertThat(s.controller().profile()).isEqualTo("ceph");
    assertThat(s.grpc().listen()).containsExactly("127.0.0.1:5000", "192.0.2.7:5000");
  }

  @Test
  void withTheRoleDefaultsTheAgentDoesNotEnrol() throws Exception {
    AgentSettings s =
        renderAndLoad(
            """
            {"ansible_managed": "Ansible managed", "debvisor_agent_profile": "",
             "debvisor_agent_node_address": ""}
            """);

    assertThat(s.controller().enabled()).isFalse();
    assertThat(s.logging().format()).isEqualTo("json");
  }

  private static Process run(String... command) throws Exception {
    Process p;
    try {
      p = new ProcessBuilder(command).start();
    } catch (java.io.IOException e) {
      throw new IllegalStateException(
          command[0] + " cannot run (scripts/test.sh installs python3): " + e.getMessage(), e);
    }
    p.getOutputStream().close();
    p.waitFor(60, TimeUnit.SECONDS);
    return p;
  }
}
