package org.debvisor.controller.inventory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.StringLength;
import org.debvisor.proto.CpuFacts;
import org.debvisor.proto.DiskFacts;
import org.debvisor.proto.DmiFacts;
import org.debvisor.proto.EnrolmentState;
import org.debvisor.proto.HardwareFacts;
import org.debvisor.proto.NodeRecord;
import org.junit.jupiter.api.Test;

/** Parsing and evaluating node selectors. */
class NodeSelectorTest {

  private static NodeRecord node(String arch, int disks, String profile) {
    HardwareFacts.Builder facts =
        HardwareFacts.newBuilder()
            .setArch(arch)
            .setCpu(CpuFacts.newBuilder().setCores(16))
            .setMemoryBytes(128L << 30)
            .setDmi(DmiFacts.newBuilder().setSystemVendor("Ampere").setSystemProduct("Mt.Jade"));
    for (int i = 0; i < disks; i++) {
      facts.addDisks(DiskFacts.newBuilder().setName("d" + i));
    }
    return NodeRecord.newBuilder()
        .setNodeId("id-" + arch + disks)
        .setHostname("h-" + arch)
        .setProfile(profile)
        .setArch(arch)
        .setEnrolment(EnrolmentState.ENROLMENT_ACTIVE)
        .setFacts(facts)
        .build();
  }

  private static boolean matches(String selector, NodeRecord node) throws SelectorException {
    return NodeSelector.parse(selector).matches(node);
  }

  @Test
  void examplesFromTheApi() throws Exception {
    NodeRecord arm4 = node("arm64", 4, "ceph");
    NodeRecord amd2 = node("amd64", 2, "hypervisor");

    assertThat(matches("disks.count>=4,arch=arm64", arm4)).isTrue();
    assertThat(matches("disks.count>=4,arch=arm64", amd2)).isFalse();
    assertThat(matches("profile=ceph,disks.count>=4,arch=arm64", arm4)).isTrue();
    assertThat(matches("profile!=ceph", amd2)).isTrue();
    assertThat(matches("memory.bytes>=64G", arm4)).isTrue();
    assertThat(matches("memory.bytes>128G", arm4)).isFalse();
    assertThat(matches("cpu.cores=16 , state=active", arm4)).isTrue();
    assertThat(matches("state=revoked", arm4)).isFalse();
    assertThat(matches("system.vendor=ampere,system.product=Mt.Jade", arm4)).isTrue();
    assertThat(matches("nics.count<1", arm4)).isTrue();
    assertThat(matches("", arm4)).isTrue();
  }

  @Test
  void badTermsAreNamed() {
    assertThatThrownBy(() -> NodeSelector.parse("arch=arm64,disk.count>=4"))
        .isInstanceOfSatisfying(
            SelectorException.class,
            e -> {
              assertThat(e.term()).isEqualTo("disk.count>=4");
              assertThat(e.getMessage())
                  .contains("unknown key 'disk.count'")
                  .contains("disks.count");
            });
    assertThatThrownBy(() -> NodeSelector.parse("arch>=arm64"))
        .hasMessageContaining("only = and != apply");
    assertThatThrownBy(() -> NodeSelector.parse("disks.count>=four"))
        .hasMessageContaining("not a whole number");
    assertThatThrownBy(() -> NodeSelector.parse("arch=arm64,,profile=ceph"))
        .hasMessageContaining("empty term");
    assertThatThrownBy(() -> NodeSelector.parse("arch"))
        .isInstanceOfSatisfying(
            SelectorException.class, e -> assertThat(e.getMessage()).contains("KEY OP VALUE"));
    assertThatThrownBy(() -> NodeSelector.parse("memory.bytes>99999999999T"))
        .hasMessageContaining("too large");
    assertThatThrownBy(() -> NodeSelector.parse("hostname=a;rm -rf"))
        .hasMessageContaining("characters outside");
  }

  @Property(tries = 300)
  void numericComparisonsAgreeWithJava(
      @ForAll @IntRange(min = 0, max = 64) int disks,
      @ForAll @IntRange(min = 0, max = 64) int bound,
      @ForAll("operators") String op)
      throws Exception {
    boolean expected =
        switch (op) {
          case "=" -> disks == bound;
          case "!=" -> disks != bound;
          case ">=" -> disks >= bound;
          case "<=" -> disks <= bound;
          case ">" -> disks > bound;
          default -> disks < bound;
        };
    assertThat(matches("disks.count" + op + bound, node("amd64", disks, ""))).isEqualTo(expected);
  }

  @Provide
  Arbitrary<String> operators() {
    return Arbitraries.of("=", "!=", ">=", "<=", ">", "<");
  }

  @Property(tries = 500)
  void arbitraryTextNeverThrowsAnythingButSelectorException(
      @ForAll @StringLength(max = 80) String text) {
    try {
      NodeSelector.parse(text);
    } catch (SelectorException e) {
      assertThat(e.getMessage()).isNotBlank();
    }
  }
}
