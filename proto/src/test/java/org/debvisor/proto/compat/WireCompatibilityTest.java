package org.debvisor.proto.compat;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.DescriptorProtos.DescriptorProto;
import com.google.protobuf.DescriptorProtos.FieldDescriptorProto;
import com.google.protobuf.DescriptorProtos.FileDescriptorProto;
import com.google.protobuf.DescriptorProtos.FileDescriptorSet;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/** Guards the wire contract: the current protos must stay compatible with the released ones. */
class WireCompatibilityTest {

  private static FileDescriptorSet load(String property) throws IOException {
    Path path = Path.of(System.getProperty(property));
    try (InputStream in = Files.newInputStream(path)) {
      return FileDescriptorSet.parseFrom(in);
    }
  }

  private static FileDescriptorSet released() throws IOException {
    return load("debvisor.releasedDescriptorSet");
  }

  private static FileDescriptorSet current() throws IOException {
    return load("debvisor.currentDescriptorSet");
  }

  /** Applies {@code edit} to the message {@code name} of the debvisor package. */
  private static FileDescriptorSet withMessage(
      FileDescriptorSet set, String name, UnaryOperator<DescriptorProto> edit) {
    FileDescriptorSet.Builder builder = set.toBuilder();
    for (FileDescriptorProto.Builder file : builder.getFileBuilderList()) {
      for (int i = 0; i < file.getMessageTypeCount(); i++) {
        if (file.getPackage().equals("debvisor") && file.getMessageType(i).getName().equals(name)) {
          file.setMessageType(i, edit.apply(file.getMessageType(i)));
        }
      }
    }
    return builder.build();
  }

  private static DescriptorProto withoutField(DescriptorProto message, String field) {
    DescriptorProto.Builder builder = message.toBuilder().clearField();
    message.getFieldList().stream()
        .filter(f -> !f.getName().equals(field))
        .forEach(builder::addField);
    return builder.build();
  }

  @Test
  void currentProtosAreWireCompatibleWithTheRelease() throws IOException {
    assertThat(WireCompatibilityChecker.check(released(), current())).isEmpty();
  }

  @Test
  void releasedSetCoversTheNodeService() throws IOException {
    assertThat(released().getFileList())
        .anySatisfy(f -> assertThat(f.getServiceList()).anyMatch(s -> s.getName().equals("Node")));
  }

  @Test
  void removingAFieldWithoutReservingItIsReported() throws IOException {
    FileDescriptorSet broken =
        withMessage(current(), "NodeStatus", m -> withoutField(m, "summary"));

    assertThat(WireCompatibilityChecker.check(released(), broken))
        .containsExactly(
            "debvisor.NodeStatus.summary (#3) was removed without reserving its number");
  }

  @Test
  void removingAFieldAndReservingItsNumberIsAccepted() throws IOException {
    FileDescriptorSet evolved =
        withMessage(
            current(),
            "NodeStatus",
            m ->
                withoutField(m, "summary").toBuilder()
                    .addReservedRange(
                        DescriptorProto.ReservedRange.newBuilder().setStart(3).setEnd(4))
                    .addReservedName("summary")
                    .build());

    assertThat(WireCompatibilityChecker.check(released(), evolved)).isEmpty();
  }

  @Test
  void renumberingAFieldIsReported() throws IOException {
    FileDescriptorSet broken =
        withMessage(
            current(),
            "CephOsdStatus",
            m -> {
              DescriptorProto.Builder b = m.toBuilder();
              FieldDescriptorProto up = b.getField(1);
              b.setField(1, up.toBuilder().setNumber(42));
              return b.build();
            });

    assertThat(WireCompatibilityChecker.check(released(), broken))
        .contains("debvisor.CephOsdStatus.up (#2) was removed without reserving its number");
  }

  @Test
  void changingAFieldTypeIsReported() throws IOException {
    FileDescriptorSet broken =
        withMessage(
            current(),
            "CephCapacity",
            m -> {
              DescriptorProto.Builder b = m.toBuilder();
              b.setField(
                  0, b.getField(0).toBuilder().setType(FieldDescriptorProto.Type.TYPE_STRING));
              return b.build();
            });

    assertThat(WireCompatibilityChecker.check(released(), broken))
        .singleElement()
        .asString()
        .startsWith("debvisor.CephCapacity.total_bytes (#1) changed type");
  }

  @Test
  void removingAnRpcIsReported() throws IOException {
    FileDescriptorSet.Builder builder = current().toBuilder();
    for (FileDescriptorProto.Builder file : builder.getFileBuilderList()) {
      for (var service : file.getServiceBuilderList()) {
        if (service.getName().equals("Node")) {
          service.removeMethod(
              service.getMethodList().stream()
                  .map(m -> m.getName())
                  .toList()
                  .indexOf("WatchStatus"));
        }
      }
    }

    assertThat(WireCompatibilityChecker.check(released(), builder.build()))
        .containsExactly("rpc debvisor.Node/WatchStatus was removed");
  }
}
