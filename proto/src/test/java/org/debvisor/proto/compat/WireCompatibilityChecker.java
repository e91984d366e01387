package org.debvisor.proto.compat;

import com.google.protobuf.DescriptorProtos.DescriptorProto;
import com.google.protobuf.DescriptorProtos.EnumDescriptorProto;
import com.google.protobuf.DescriptorProtos.EnumValueDescriptorProto;
import com.google.protobuf.DescriptorProtos.FieldDescriptorProto;
import com.google.protobuf.DescriptorProtos.FileDescriptorProto;
import com.google.protobuf.DescriptorProtos.FileDescriptorSet;
import com.google.protobuf.DescriptorProtos.MethodDescriptorProto;
import com.google.protobuf.DescriptorProtos.ServiceDescriptorProto;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Lists the changes between a released descriptor set and the current one that would break peers
 * built against the release: removed or renumbered fields whose number is not reserved, changed
 * field types or cardinality, removed enum values, removed or retyped RPCs.
 */
final class WireCompatibilityChecker {

  private final List<String> violations = new ArrayList<>();

  /** Returns one line per breaking change; empty when the current set is wire compatible. */
  static List<String> check(FileDescriptorSet released, FileDescriptorSet current) {
    WireCompatibilityChecker checker = new WireCompatibilityChecker();
    checker.compare(released, current);
    return List.copyOf(checker.violations);
  }

  private void compare(FileDescriptorSet released, FileDescriptorSet current) {
    for (FileDescriptorProto oldFile : released.getFileList()) {
      if (!oldFile.getPackage().equals("debvisor")) {
        continue; // well-known imports are not ours to guard
      }
      String prefix = oldFile.getPackage();
      // Types may move between files of the package, so look them up package-wide.
      Map<String, DescriptorProto> newMessages = allMessagesOfPackage(current, prefix);
      for (var entry : allMessages(oldFile, prefix).entrySet()) {
        DescriptorProto newer = newMessages.get(entry.getKey());
        if (newer == null) {
          violations.add("message " + entry.getKey() + " was removed");
        } else {
          compareMessage(entry.getKey(), entry.getValue(), newer);
        }
      }
      Map<String, EnumDescriptorProto> newEnums = allEnumsOfPackage(current, prefix);
      for (var entry : allEnums(oldFile, prefix).entrySet()) {
        EnumDescriptorProto newer = newEnums.get(entry.getKey());
        if (newer == null) {
          violations.add("enum " + entry.getKey() + " was removed");
        } else {
          compareEnum(entry.getKey(), entry.getValue(), newer);
        }
      }
      Map<String, ServiceDescriptorProto> newServices = new LinkedHashMap<>();
      for (FileDescriptorProto f : current.getFileList()) {
        if (f.getPackage().equals(prefix)) {
          f.getServiceList().forEach(s -> newServices.put(prefix + "." + s.getName(), s));
        }
      }
      for (ServiceDescriptorProto oldService : oldFile.getServiceList()) {
        String name = prefix + "." + oldService.getName();
        ServiceDescriptorProto newer = newServices.get(name);
        if (newer == null) {
          violations.add("service " + name + " was removed");
        } else {
          compareService(name, oldService, newer);
        }
      }
    }
  }

  private void compareMessage(String name, DescriptorProto older, DescriptorProto newer) {
    Map<Integer, FieldDescriptorProto> newFields = byKey(newer.getFieldList(), f -> f.getNumber());
    for (FieldDescriptorProto oldField : older.getFieldList()) {
      String where = name + "." + oldField.getName() + " (#" + oldField.getNumber() + ")";
      FieldDescriptorProto newField = newFields.get(oldField.getNumber());
      if (newField == null) {
        boolean reserved =
            newer.getReservedRangeList().stream()
                .anyMatch(
                    r -> r.getStart() <= oldField.getNumber() && oldField.getNumber() < r.getEnd());
        if (!reserved) {
          violations.add(where + " was removed without reserving its number");
        }
        continue;
      }
      if (newField.getType() != oldField.getType()) {
        violations.add(
            where + " changed type from " + oldField.getType() + " to " + newField.getType());
      } else if (!newField.getTypeName().equals(oldField.getTypeName())) {
        violations.add(
            where
                + " changed type from "
                + oldField.getTypeName()
                + " to "
                + newField.getTypeName());
      }
      if (newField.getLabel() != oldField.getLabel()) {
        violations.add(
            where
                + " changed cardinality from "
                + oldField.getLabel()
                + " to "
                + newField.getLabel());
      }
      if (!newField.getName().equals(oldField.getName())) {
        // Binary-compatible but breaks JSON clients and grpcurl users.
        violations.add(where + " was renamed to " + newField.getName());
      }
    }
  }

  private void compareEnum(String name, EnumDescriptorProto older, EnumDescriptorProto newer) {
    Map<Integer, EnumValueDescriptorProto> newValues =
        byKey(newer.getValueList(), v -> v.getNumber());
    for (EnumValueDescriptorProto oldValue : older.getValueList()) {
      EnumValueDescriptorProto newValue = newValues.get(oldValue.getNumber());
      if (newValue == null) {
        boolean reserved =
            newer.getReservedRangeList().stream()
                .anyMatch(
                    r ->
                        r.getStart() <= oldValue.getNumber() && oldValue.getNumber() <= r.getEnd());
        if (!reserved) {
          violations.add(
              name + "." + oldValue.getName() + " (=" + oldValue.getNumber() + ") was removed");
        }
      } else if (!newValue.getName().equals(oldValue.getName())) {
        violations.add(name + "." + oldValue.getName() + " was renamed to " + newValue.getName());
      }
    }
  }

  private void compareService(
      String name, ServiceDescriptorProto older, ServiceDescriptorProto newer) {
    Map<String, MethodDescriptorProto> newMethods = byKey(newer.getMethodList(), m -> m.getName());
    for (MethodDescriptorProto oldMethod : older.getMethodList()) {
      String where = name + "/" + oldMethod.getName();
      MethodDescriptorProto newMethod = newMethods.get(oldMethod.getName());
      if (newMethod == null) {
        violations.add("rpc " + where + " was removed");
        continue;
      }
      if (!newMethod.getInputType().equals(oldMethod.getInputType())
          || !newMethod.getOutputType().equals(oldMethod.getOutputType())) {
        violations.add("rpc " + where + " changed its request or response type");
      }
      if (newMethod.getClientStreaming() != oldMethod.getClientStreaming()
          || newMethod.getServerStreaming() != oldMethod.getServerStreaming()) {
        violations.add("rpc " + where + " changed between unary and streaming");
      }
    }
  }

  private static Map<String, DescriptorProto> allMessagesOfPackage(
      FileDescriptorSet set, String pkg) {
    Map<String, DescriptorProto> all = new LinkedHashMap<>();
    for (FileDescriptorProto f : set.getFileList()) {
      if (f.getPackage().equals(pkg)) {
        all.putAll(allMessages(f, pkg));
      }
    }
    return all;
  }

  private static Map<String, DescriptorProto> allMessages(FileDescriptorProto file, String pkg) {
    Map<String, DescriptorProto> all = new LinkedHashMap<>();
    for (DescriptorProto message : file.getMessageTypeList()) {
      collectMessages(pkg + "." + message.getName(), message, all);
    }
    return all;
  }

  private static void collectMessages(
      String name, DescriptorProto message, Map<String, DescriptorProto> into) {
    into.put(name, message);
    for (DescriptorProto nested : message.getNestedTypeList()) {
      collectMessages(name + "." + nested.getName(), nested, into);
    }
  }

  private static Map<String, EnumDescriptorProto> allEnumsOfPackage(
      FileDescriptorSet set, String pkg) {
    Map<String, EnumDescriptorProto> all = new LinkedHashMap<>();
    for (FileDescriptorProto f : set.getFileList()) {
      if (f.getPackage().equals(pkg)) {
        all.putAll(allEnums(f, pkg));
      }
    }
    return all;
  }

  private static Map<String, EnumDescriptorProto> allEnums(FileDescriptorProto file, String pkg) {
    Map<String, EnumDescriptorProto> all = new LinkedHashMap<>();
    file.getEnumTypeList().forEach(e -> all.put(pkg + "." + e.getName(), e));
    for (var message : allMessages(file, pkg).entrySet()) {
      message
          .getValue()
          .getEnumTypeList()
          .forEach(e -> all.put(message.getKey() + "." + e.getName(), e));
    }
    return all;
  }

  private static <K, V> Map<K, V> byKey(List<V> values, Function<V, K> key) {
    return values.stream()
        .collect(Collectors.toMap(key, Function.identity(), (a, b) -> a, LinkedHashMap::new));
  }
}
