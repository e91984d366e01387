package org.debvisor.bench;

import java.security.KeyPair;

/** A node the controller enrolled during the benchmark: its key and issued certificate. */
record EnrolledNode(String nodeId, KeyPair keys, String certificatePem) {}
