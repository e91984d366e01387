package org.debvisor.agentapi;

/**
 * Where the agent's files live on a node. They are the settings' defaults, and the places every
 * install path (preseed, image overlay, SSH provisioning, Ansible) writes to.
 */
public final class AgentPaths {

  /** The agent's configuration directory (systemd's ConfigurationDirectory=). */
  public static final String CONFIG_DIR = "/etc/debvisor";

  /** The agent's settings. */
  public static final String CONFIG_FILE = CONFIG_DIR + "/agent.yaml";

  /** The controller's CA certificate (PEM), pinned when the node is installed. */
  public static final String CA_FILE = CONFIG_DIR + "/controller-ca.pem";

  /** The single-use bootstrap token (mode 0600); the agent empties it once enrolled. */
  public static final String TOKEN_FILE = CONFIG_DIR + "/bootstrap-token";

  /** The role profile the node was installed with, one name on one line. */
  public static final String PROFILE_FILE = CONFIG_DIR + "/profile";

  /** Configuration bundles may only write below this directory, by default. */
  public static final String MANAGED_DIR = CONFIG_DIR + "/managed";

  /** The agent's state: configuration history, enrolment credentials (StateDirectory=). */
  public static final String STATE_DIR = "/var/lib/debvisor";

  /** Active configuration version, history, journal and backups. */
  public static final String CONFIG_STATE_DIR = STATE_DIR + "/config";

  /** The node's key, certificate and the controller's CA bundle, once enrolled. */
  public static final String PKI_DIR = STATE_DIR + "/pki";

  /** The certificate the agent stores once it has enrolled. */
  public static final String NODE_CERT = PKI_DIR + "/node.pem";

  private AgentPaths() {}
}
