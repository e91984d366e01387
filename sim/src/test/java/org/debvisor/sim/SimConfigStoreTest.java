package org.debvisor.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.debvisor.proto.ConfigBundle;
import org.debvisor.proto.ConfigFile;
import org.debvisor.proto.ConfigResult;
import org.debvisor.proto.UpdateConfigRequest;
import org.junit.jupiter.api.Test;

class SimConfigStoreTest {

  private final SimConfigStore store =
      new SimConfigStore(Clock.fixed(Instant.parse("2026-12-01T00:00:00Z"), ZoneOffset.UTC));

  static ConfigBundle bundle(String version, String sha) {
    return ConfigBundle.newBuilder()
        .setVersion(version)
        .addFiles(
            ConfigFile.newBuilder()
                .setPath("/etc/motd")
                .setMode(0644)
                .setContent(ByteString.copyFromUtf8(sha))
                .setSha256(sha))
        .build();
  }

  static UpdateConfigRequest request(ConfigBundle bundle, String expected) {
    return UpdateConfigRequest.newBuilder()
        .setBundle(bundle)
        .setExpectedCurrentVersion(expected)
        .build();
  }

  @Test
  void aNewVersionFromTheExpectedOneIsAppliedAndRecorded() throws Exception {
    assertThat(store.check(request(bundle("v1", "aa"), ""))).isEmpty();
    assertThat(store.commit(bundle("v1", "aa"), "cert:debvisor-controller")).isEmpty();

    assertThat(store.current().getVersion()).isEqualTo("v1");
    assertThat(store.current().getFiles(0).getSha256()).isEqualTo("aa");
    assertThat(store.history(10)).hasSize(1);
    assertThat(store.history(10).get(0).getResult()).isEqualTo(ConfigResult.CONFIG_APPLIED);
    assertThat(store.history(10).get(0).getCaller()).isEqualTo("cert:debvisor-controller");
  }

  @Test
  void theActiveVersionWithTheSameFilesIsUnchanged() throws Exception {
    store.commit(bundle("v1", "aa"), "c");
    assertThat(store.check(request(bundle("v1", "aa"), "whatever"))).isPresent();
  }

  @Test
  void aStaleExpectedVersionIsRefusedAndChangesNothing() throws Exception {
    store.commit(bundle("v1", "aa"), "c");
    assertThatThrownBy(() -> store.check(request(bundle("v2", "bb"), "v0")))
        .isInstanceOf(SimConfigStore.VersionConflictException.class)
        .hasMessage(
            "expected_current_version is 'v0' but 'v1' is active; read it with GetConfig and"
                + " retry");
    assertThat(store.current().getVersion()).isEqualTo("v1");
    assertThat(store.history(10)).hasSize(1);
  }

  @Test
  void theActiveVersionWithOtherFilesIsAConflict() throws Exception {
    store.commit(bundle("v1", "aa"), "c");
    assertThatThrownBy(() -> store.check(request(bundle("v1", "zz"), "v1")))
        .hasMessage(
            "version v1 is already active with different files; give a changed bundle a new"
                + " version");
    assertThat(store.current().getFiles(0).getSha256()).isEqualTo("aa");
  }

  @Test
  void aRollbackIsRecordedButKeepsTheActiveVersion() throws Exception {
    store.commit(bundle("v1", "aa"), "c");
    store.recordRollback(bundle("v2", "bb"), "c", "gate failed");

    assertThat(store.current().getVersion()).isEqualTo("v1");
    assertThat(store.history(10).get(0).getResult()).isEqualTo(ConfigResult.CONFIG_ROLLED_BACK);
    assertThat(store.history(10).get(0).getPreviousVersion()).isEqualTo("v1");
    assertThat(store.history(1)).hasSize(1);
  }
}
