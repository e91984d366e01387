package org.debvisor.controller.rest;

import org.debvisor.controller.identity.Role;

/**
 * The authenticated caller of one request: by basic auth (scripts) or by session cookie (the
 * panel); {@code csrfToken} is set for a session only.
 */
record Principal(String user, Role role, String source, String csrfToken) {

  Actor actor() {
    return new Actor("user:" + user, source);
  }

  boolean viaSession() {
    return csrfToken != null;
  }
}
