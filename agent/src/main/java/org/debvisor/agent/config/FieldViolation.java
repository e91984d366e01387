package org.debvisor.agent.config;

/**
 * One rule a request breaks.
 *
 * @param field proto-style path, e.g. {@code bundle.files[2].path}
 * @param rule what is wrong and what is expected
 */
public record FieldViolation(String field, String rule) {}
