package org.debvisor.bench;

import com.google.protobuf.ByteString;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.stub.MetadataUtils;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Recorder;
import org.debvisor.common.digest.Sha256;
import org.debvisor.proto.ConfigBundle;
import org.debvisor.proto.ConfigFile;
import org.debvisor.proto.ConfigResult;
import org.debvisor.proto.GetConfigRequest;
import org.debvisor.proto.NodeGrpc;
import org.debvisor.proto.UpdateConfigRequest;
import org.debvisor.proto.UpdateConfigResponse;

/**
 * Durable {@code UpdateConfig} load: each update writes a new version of one small file. Versions
 * form a chain (each names the previous one as expected), as a controller pushing one node would.
 */
final class ConfigLoad {

  private static final int MAX_OUTSTANDING = 2_000;

  private final List<NodeGrpc.NodeFutureStub> callers;
  private final Path file;
  private final String target;
  private long sequence;
  private String lastVersion;

  ConfigLoad(List<ManagedChannel> channels, String token, Path file, String target) {
    Metadata headers = new Metadata();
    headers.put(
        Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER), "Bearer " + token);
    this.callers =
        channels.stream()
            .map(
                c ->
                    NodeGrpc.newFutureStub(c)
                        .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers)))
            .toList();
    this.file = file;
    this.target = target;
  }

  private void readActiveVersion() {
    lastVersion =
        NodeGrpc.newBlockingStub(callers.get(0).getChannel())
            .getConfig(GetConfigRequest.getDefaultInstance())
            .getVersion();
  }

  private UpdateConfigRequest next() {
    String version = "bench-" + System.nanoTime() + "-" + (++sequence);
    byte[] content =
        ("setting = " + sequence + "\n" + "x".repeat(500) + "\n").getBytes(StandardCharsets.UTF_8);
    UpdateConfigRequest request =
        UpdateConfigRequest.newBuilder()
            .setExpectedCurrentVersion(lastVersion)
            .setBundle(
                ConfigBundle.newBuilder()
                    .setVersion(version)
                    .addFiles(
                        ConfigFile.newBuilder()
                            .setPath(file.toString())
                            .setMode(0644)
                            .setContent(ByteString.copyFrom(content))
                            .setSha256(Sha256.hex(content))))
            .build();
    lastVersion = version;
    return request;
  }

  /** Sends at a fixed rate, round robin over the callers; see {@link OpenLoop}. */
  LoadResult openLoop(int rate, Duration duration) throws InterruptedException {
    readActiveVersion();
    // An answer other than APPLIED, or FAILED_PRECONDITION (an update that overtook its
    // predecessor), counts as an error.
    return OpenLoop.run(
        "UpdateConfig open loop, " + rate + "/s",
        target,
        rate,
        duration,
        MAX_OUTSTANDING,
        i -> callers.get((int) (i % callers.size())).updateConfig(next()),
        reply -> reply.getResult() == ConfigResult.CONFIG_APPLIED);
  }

  /** One caller, one update after the other: the most applies per second the node sustains. */
  LoadResult closedLoop(Duration duration) {
    return closedLoop(duration, Long.MAX_VALUE);
  }

  /** As {@link #closedLoop(Duration)}, stopping after {@code count} updates at the latest. */
  LoadResult closedLoop(Duration duration, long count) {
    readActiveVersion();
    Recorder latencies = new Recorder(3);
    long applied = 0;
    long errors = 0;
    long start = System.nanoTime();
    long end = start + duration.toNanos();
    NodeGrpc.NodeFutureStub caller = callers.get(0);
    while (System.nanoTime() < end && applied + errors < count) {
      long sent = System.nanoTime();
      try {
        UpdateConfigResponse r = caller.updateConfig(next()).get(30, TimeUnit.SECONDS);
        latencies.recordValue((System.nanoTime() - sent) / 1000);
        if (r.getResult() == ConfigResult.CONFIG_APPLIED) {
          applied++;
        } else {
          errors++;
        }
      } catch (Exception e) {
        errors++;
        if (Status.fromThrowable(e).getCode() == Status.Code.DEADLINE_EXCEEDED) {
          break;
        }
      }
    }
    return result(
        "UpdateConfig closed loop, 1 caller",
        latencies,
        applied,
        errors,
        (System.nanoTime() - start) / 1e9);
  }

  private LoadResult result(
      String scenario, Recorder latencies, long done, long errors, double seconds) {
    return LoadResult.of(scenario, target, latencies.getIntervalHistogram(), done, errors, seconds);
  }
}
