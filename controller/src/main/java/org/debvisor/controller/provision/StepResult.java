package org.debvisor.controller.provision;

import java.time.Duration;

/**
 * How one step went on one host.
 *
 * @param step step name
 * @param ok true when it succeeded
 * @param changed true when it changed the host
 * @param detail what it found or did, or why it failed
 * @param stderr the failing command's standard error ("" otherwise)
 * @param elapsed wall time
 */
public record StepResult(
    String step, boolean ok, boolean changed, String detail, String stderr, Duration elapsed) {}
