package org.debvisor.agent.collect.kubernetes;

import java.nio.file.Path;

/**
 * The part of a kubeconfig that its current context selects.
 *
 * @param path the file it was read from
 * @param contextName the current context
 * @param cluster the apiserver to talk to
 * @param user the credentials to present
 */
public record Kubeconfig(Path path, String contextName, KubeCluster cluster, KubeUser user) {}
