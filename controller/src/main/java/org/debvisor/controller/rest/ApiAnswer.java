package org.debvisor.controller.rest;

import java.util.Map;

/** A successful answer: status, JSON body (may be null for none) and extra headers. */
record ApiAnswer(int status, String json, Map<String, String> headers) {

  static ApiAnswer ok(String json) {
    return new ApiAnswer(200, json, Map.of());
  }
}
