package org.debvisor.controller.rest;

/** Who asked for an action over the API, as the audit log records it. */
public record Actor(String name, String source) {}
