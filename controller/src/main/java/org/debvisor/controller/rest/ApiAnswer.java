package org.debvisor.controller.rest;

import com.linecorp.armeria.common.HttpData;
import com.linecorp.armeria.common.HttpResponse;
import java.util.Map;

/**
 * A successful answer: status, JSON body (may be null for none) and extra headers; or, for an event
 * stream, the streaming response itself ({@code stream}, the other fields unused).
 */
record ApiAnswer(int status, HttpData json, Map<String, String> headers, HttpResponse stream) {

  ApiAnswer(int status, String json, Map<String, String> headers) {
    this(status, json == null ? null : HttpData.ofUtf8(json), headers, null);
  }

  static ApiAnswer ok(String json) {
    return new ApiAnswer(200, json, Map.of());
  }

  /** JSON already encoded, e.g. shared by many answers: sent as it is, not copied. */
  static ApiAnswer utf8(int status, byte[] json, Map<String, String> headers) {
    return new ApiAnswer(status, HttpData.wrap(json), headers, null);
  }

  static ApiAnswer stream(HttpResponse stream) {
    return new ApiAnswer(200, null, Map.of(), stream);
  }
}
