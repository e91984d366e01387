package org.debvisor.agentapi;

import java.nio.file.Path;
import java.time.Duration;

/**
 * How the agent reads Kubernetes through the apiserver.
 *
 * @param enabled false turns the collector off (reported ABSENT)
 * @param kubeconfig kubeconfig naming the apiserver and credentials; missing file means ABSENT
 * @param nodeName this node's name in Kubernetes; empty means the hostname
 * @param interval how often to read
 * @param timeout how long one read (all requests together) may take
 */
public record KubernetesSettings(
    Boolean enabled, Path kubeconfig, String nodeName, Duration interval, Duration timeout) {

  public KubernetesSettings {
    enabled = enabled == null || enabled;
    kubeconfig = kubeconfig == null ? Path.of("/etc/kubernetes/kubelet.conf") : kubeconfig;
    nodeName = nodeName == null ? "" : nodeName.strip();
    interval = interval == null ? Duration.ofSeconds(15) : interval;
    timeout = timeout == null ? Duration.ofSeconds(5) : timeout;
  }
}
