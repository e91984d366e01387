package org.debvisor.controller.ssh;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.apache.sshd.client.session.ClientSession;
import org.debvisor.common.error.Causes;

/**
 * Reads an HTTP endpoint that listens on the remote host's loopback, through an SSH local port
 * forward bound to this machine's loopback. Cheap enough to poll often: nothing runs on the host.
 */
final class LoopbackHttp {

  /**
   * What the endpoint answered.
   *
   * @param status HTTP status, or 0 when nothing answered on the remote port
   * @param body response body (or why nothing answered)
   */
  record Answer(int status, String body) {}

  private final ClientSession session;
  private final HttpClient http;

  LoopbackHttp(ClientSession session) {
    this.session = session;
    this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  }

  Answer get(int remotePort, String path, Duration timeout) throws SshException {
    try (LocalForward forward = LocalForward.open(session, remotePort)) {
      HttpRequest request =
          HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + forward.localPort() + path))
              .timeout(timeout)
              .GET()
              .build();
      HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
      return new Answer(response.statusCode(), response.body());
    } catch (IOException e) {
      // The forward works but nothing listens (yet) on the remote port, or it hung up.
      return new Answer(0, Causes.rootMessage(e));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Answer(0, "interrupted");
    }
  }
}
