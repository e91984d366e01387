package org.debvisor.agent.enrol;

/**
 * What the agent tells the controller about itself besides hardware facts.
 *
 * @param nodeId stable id (machine-id); becomes the certificate's common name
 * @param hostname the node's hostname
 * @param profile role profile (ceph, hypervisor, k8s or "")
 * @param agentAddress {@code host:port} where the controller reaches the agent's mTLS endpoint
 * @param agentVersion the running agent's version
 */
public record NodeDescription(
    String nodeId, String hostname, String profile, String agentAddress, String agentVersion) {}
