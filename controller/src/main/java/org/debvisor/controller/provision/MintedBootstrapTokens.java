package org.debvisor.controller.provision;

import io.grpc.StatusRuntimeException;
import java.time.Duration;
import org.debvisor.common.connect.ConnectionFailures;
import org.debvisor.controller.client.ControllerConnection;
import org.debvisor.controller.ssh.SshTarget;
import org.debvisor.proto.CreateBootstrapTokenRequest;

/**
 * Mints one single-use bootstrap token per host through the controller's {@code
 * CreateBootstrapToken}, so parallel hosts never compete for one token and each enrolment is
 * audited under its own token id.
 */
public final class MintedBootstrapTokens implements BootstrapTokens {

  private final ControllerConnection connection;
  private final String profile;
  private final String cluster;
  private final Duration ttl;
  private final long timeoutSeconds;

  public MintedBootstrapTokens(
      ControllerConnection connection,
      String profile,
      String cluster,
      Duration ttl,
      long timeoutSeconds) {
    this.connection = connection;
    this.profile = profile;
    this.cluster = cluster;
    this.ttl = ttl;
    this.timeoutSeconds = timeoutSeconds;
  }

  @Override
  public String tokenFor(SshTarget host) throws StepFailedException {
    try {
      return connection
          .controller(timeoutSeconds)
          .createBootstrapToken(
              CreateBootstrapTokenRequest.newBuilder()
                  .setTtl(com.google.protobuf.Duration.newBuilder().setSeconds(ttl.getSeconds()))
                  .setProfile(profile)
                  .setCluster(cluster)
                  .build())
          .getToken();
    } catch (StatusRuntimeException e) {
      if (e.getStatus().getCode() == io.grpc.Status.Code.UNAVAILABLE) {
        var diagnosis = ConnectionFailures.diagnose(e, connection.target());
        if (diagnosis.isPresent()) {
          // Not a token problem: say what failed reaching the controller.
          throw new StepFailedException(
              "cannot reach the controller to mint a bootstrap token for "
                  + host
                  + ": "
                  + diagnosis.get().message(),
              "");
        }
      }
      throw new StepFailedException(
          "the controller at "
              + connection.target()
              + " did not mint a bootstrap token for "
              + host
              + ": "
              + e.getStatus().getCode()
              + " "
              + e.getStatus().getDescription()
              + " (check --operator-token-file / $DEBVISOR_TOKEN, or pass --token-file)",
          "");
    }
  }
}
