package org.debvisor.agentapi.bundle;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.debvisor.agentapi.ConfigSettings;
import org.debvisor.common.violation.Violation;
import org.debvisor.proto.ConfigBundle;
import org.debvisor.proto.ConfigFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class BundleValidatorTest {

  private static final String ROOT = "/etc/debvisor/managed";

  /** The accounts of an imagined node: a real lookup, just not the test machine's. */
  private static final AccountLookup ACCOUNTS =
      (kind, name) ->
          kind == AccountLookup.Kind.USER
              ? Set.of("root", "www-data").contains(name)
              : Set.of("root", "adm").contains(name);

  private final BundleValidator validator =
      new BundleValidator(settings(Path.of("/var/lib/debvisor/config"), 3), ACCOUNTS);

  private static ConfigSettings settings(Path stateDir, int maxFiles) {
    return new ConfigSettings(
        stateDir, List.of(Path.of(ROOT)), 100, 150, maxFiles, 10, null, null, null, null, null);
  }

  static ConfigFile file(String path, String content, int mode) {
    return file(path, content.getBytes(StandardCharsets.UTF_8), mode);
  }

  static ConfigFile file(String path, byte[] content, int mode) {
    ByteString bytes = ByteString.copyFrom(content);
    return ConfigFile.newBuilder()
        .setPath(path)
        .setMode(mode)
        .setContent(bytes)
        .setSha256(BundleValidator.sha256Hex(bytes))
        .build();
  }

  static ConfigBundle bundle(String version, ConfigFile... files) {
    return ConfigBundle.newBuilder().setVersion(version).addAllFiles(List.of(files)).build();
  }

  private List<Violation> validate(ConfigBundle bundle) {
    return validator.validate(bundle);
  }

  private static ConfigBundle single(ConfigFile file) {
    return bundle("v1", file);
  }

  private static Violation violation(String field, String ruleFragment) {
    return new Violation(field, ruleFragment);
  }

  private static void assertOnly(List<Violation> found, String field, String ruleFragment) {
    assertThat(found).as("violations").hasSize(1);
    assertThat(found.get(0).field()).isEqualTo(field);
    assertThat(found.get(0).rule()).contains(ruleFragment);
  }

  @Test
  void aWellFormedBundlePasses() {
    ConfigBundle ok =
        bundle(
            "2024.06.01-rc:1_a",
            file(ROOT + "/a.conf", "x=1\n", 0640),
            file(ROOT + "/sub/dir/b.conf", "", 0),
            file(ROOT + "/c", "y", 0777).toBuilder().setOwner("root").setGroup("0").build());

    assertThat(validate(ok)).isEmpty();
  }

  @Test
  void versionIsRequired() {
    assertOnly(validate(bundle("", file(ROOT + "/a", "x", 0644))), "bundle.version", "required");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "has space",
        "slash/in",
        "semi;colon",
        "ünïcode",
        "12345678901234567890123456789012345678901234567890123456789012345"
      })
  void versionCharactersAndLengthAreLimited(String version) {
    assertOnly(
        validate(bundle(version, file(ROOT + "/a", "x", 0644))),
        "bundle.version",
        "1-64 characters");
  }

  @Test
  void versionOfExactly64CharactersPasses() {
    assertThat(validate(bundle("v".repeat(64), file(ROOT + "/a", "x", 0644)))).isEmpty();
  }

  @Test
  void atLeastOneFile() {
    assertOnly(validate(bundle("v1")), "bundle.files", "at least one file");
  }

  @Test
  void atMostMaxFiles() {
    ConfigBundle four =
        bundle(
            "v1",
            file(ROOT + "/a", "", 0),
            file(ROOT + "/b", "", 0),
            file(ROOT + "/c", "", 0),
            file(ROOT + "/d", "", 0));
    assertOnly(validate(four), "bundle.files", "at most 3 files");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "relative/path",
        "etc/debvisor/managed/a",
        ROOT + "/../escape",
        ROOT + "/./a",
        ROOT + "/a/..",
        ROOT + "//a",
        ROOT + "/a/",
        ROOT + "/a\0b",
        ROOT + "/new\nline",
        ROOT,
        ROOT + "X/a",
        "/etc/debvisor/a",
        "/etc/passwd",
        "/"
      })
  void hostilePathsAreRefusedOnTheirField(String path) {
    List<Violation> found = validate(single(file(path, "x", 0644)));
    assertThat(found).extracting(Violation::field).containsExactly("bundle.files[0].path");
  }

  @Test
  void pathRulesSayWhatIsWrong() {
    assertOnly(validate(single(file("a/b", "x", 0))), "bundle.files[0].path", "absolute");
    assertOnly(validate(single(file(ROOT + "/../x", "x", 0))), "bundle.files[0].path", ". or ..");
    assertOnly(validate(single(file(ROOT + "//x", "x", 0))), "bundle.files[0].path", "//");
    assertOnly(validate(single(file(ROOT + "/x/", "x", 0))), "bundle.files[0].path", "end with /");
    assertOnly(validate(single(file(ROOT + "/\0", "x", 0))), "bundle.files[0].path", "NUL");
    assertOnly(validate(single(file(ROOT, "x", 0))), "bundle.files[0].path", "allowed root itself");
    assertOnly(
        validate(single(file(ROOT + "X/a", "x", 0))), "bundle.files[0].path", "allowed roots");
    assertOnly(
        validate(single(file(ROOT + "/" + "n".repeat(256), "x", 0))),
        "bundle.files[0].path",
        "255 bytes");
    assertOnly(validate(single(file("", "x", 0))), "bundle.files[0].path", "required");
  }

  @Test
  void aNameOf255BytesIsFine() {
    assertThat(validate(single(file(ROOT + "/" + "n".repeat(255), "x", 0)))).isEmpty();
  }

  @Test
  void duplicatePathsAndFileDirectoryClashesAreRefused() {
    ConfigBundle dup =
        bundle(
            "v1", file(ROOT + "/a", "1", 0), file(ROOT + "/a", "2", 0), file(ROOT + "/b", "", 0));
    assertOnly(validate(dup), "bundle.files[1].path", "duplicates bundle.files[0].path");

    ConfigBundle clash = bundle("v1", file(ROOT + "/a", "1", 0), file(ROOT + "/a/b", "2", 0));
    assertOnly(validate(clash), "bundle.files[1].path", "directory");
  }

  @Test
  void theStateDirectoryIsOffLimitsEvenUnderARoot() {
    BundleValidator inside = new BundleValidator(settings(Path.of(ROOT + "/state"), 3), ACCOUNTS);
    List<Violation> found = inside.validate(single(file(ROOT + "/state/current.json", "x", 0)));
    assertOnly(found, "bundle.files[0].path", "state directory");
  }

  @ParameterizedTest
  @ValueSource(ints = {01000, 02644, 04755, 07777, 010000, -1})
  void specialBitsAndOutOfRangeModesAreRefused(int mode) {
    assertOnly(validate(single(file(ROOT + "/a", "x", mode))), "bundle.files[0].mode", "0777");
  }

  @Test
  void ownerAndGroupMustExistOrBeNumeric() {
    ConfigFile base = file(ROOT + "/a", "x", 0644);
    assertThat(validate(single(base.toBuilder().setOwner("root").setGroup("root").build())))
        .isEmpty();
    assertThat(validate(single(base.toBuilder().setOwner("4321").setGroup("98765").build())))
        .isEmpty();
    assertOnly(
        validate(single(base.toBuilder().setOwner("no-such-user-xyz").build())),
        "bundle.files[0].owner",
        "no user named no-such-user-xyz");
    assertOnly(
        validate(single(base.toBuilder().setGroup("no-such-group-xyz").build())),
        "bundle.files[0].group",
        "no group named no-such-group-xyz");
    assertOnly(
        validate(single(base.toBuilder().setOwner("root\0evil").build())),
        "bundle.files[0].owner",
        "numeric id");
    assertOnly(
        validate(single(base.toBuilder().setGroup("4294967295").build())),
        "bundle.files[0].group",
        "out of range");
  }

  @Test
  void contentSizeIsLimitedPerFileAndPerBundle() {
    assertOnly(
        validate(single(file(ROOT + "/a", new byte[101], 0))),
        "bundle.files[0].content",
        "larger than 100 bytes (101)");
    assertThat(validate(single(file(ROOT + "/a", new byte[100], 0)))).isEmpty();

    ConfigBundle tooMuch =
        bundle("v1", file(ROOT + "/a", new byte[80], 0), file(ROOT + "/b", new byte[80], 0));
    assertOnly(validate(tooMuch), "bundle.files", "total content larger than 150 bytes (160)");
  }

  @Test
  void checksumMustBeLowerCaseHexAndMatch() {
    ConfigFile base = file(ROOT + "/a", "content", 0644);
    assertOnly(
        validate(single(base.toBuilder().setSha256(base.getSha256().toUpperCase()).build())),
        "bundle.files[0].sha256",
        "64 lower-case hex");
    assertOnly(
        validate(single(base.toBuilder().setSha256("").build())),
        "bundle.files[0].sha256",
        "64 lower-case hex");
    assertOnly(
        validate(single(base.toBuilder().setContent(ByteString.copyFromUtf8("other")).build())),
        "bundle.files[0].sha256",
        "does not match");
  }

  @Test
  void everyViolationIsReportedWithItsField() {
    ConfigFile good = file(ROOT + "/ok", "fine", 0644);
    ConfigBundle bad =
        ConfigBundle.newBuilder()
            .setVersion("bad version!")
            .addFiles(good)
            .addFiles(
                file(ROOT + "/../etc/shadow", new byte[101], 04755).toBuilder()
                    .setOwner("no-such-user-xyz")
                    .setSha256("abc"))
            .addFiles(good)
            .build();

    assertThat(validate(bad))
        .containsExactly(
            violation("bundle.version", "must be 1-64 characters of [A-Za-z0-9._:-]"),
            violation("bundle.files[1].path", "must be normalised (no . or .. segments)"),
            violation(
                "bundle.files[1].mode",
                "must be at most 0777 (no setuid, setgid or sticky bits), got 04755"),
            violation("bundle.files[1].owner", "no user named no-such-user-xyz on this node"),
            violation("bundle.files[1].content", "larger than 100 bytes (101)"),
            violation("bundle.files[1].sha256", "must be 64 lower-case hex characters"),
            violation("bundle.files[2].path", "duplicates bundle.files[0].path"));
  }

  @Test
  void aControllerWithoutTheNodesAccountsChecksOnlyTheirSyntax() {
    BundleValidator controller =
        new BundleValidator(
            settings(Path.of("/var/lib/debvisor/config"), 3), AccountLookup.UNCHECKED);
    ConfigFile base = file(ROOT + "/a", "x", 0644);
    assertThat(controller.validate(single(base.toBuilder().setOwner("svc-user").build())))
        .isEmpty();
    assertOnly(
        controller.validate(single(base.toBuilder().setGroup("bad group").build())),
        "bundle.files[0].group",
        "group name");
  }

  @Test
  void anAccountLookupFailureIsAViolationNotACrash() {
    BundleValidator failing =
        new BundleValidator(
            settings(Path.of("/var/lib/debvisor/config"), 3),
            (kind, name) -> {
              throw new java.io.IOException("name service down");
            });
    assertOnly(
        failing.validate(single(file(ROOT + "/a", "x", 0644).toBuilder().setOwner("svc").build())),
        "bundle.files[0].owner",
        "cannot look up user svc");
  }

  @Test
  void tooManyFilesIsRefusedOnTheCountAloneBeforeAnyFileIsLookedAt() {
    // Every file breaks several rules; none of them may be reported, only the count.
    ConfigBundle.Builder huge = ConfigBundle.newBuilder().setVersion("v1");
    ConfigFile bad =
        ConfigFile.newBuilder()
            .setPath("relative/../x")
            .setMode(04755)
            .setOwner("no such user")
            .setSha256("nope")
            .build();
    for (int i = 0; i < 10_000; i++) {
      huge.addFiles(bad);
    }

    assertThat(validate(huge.build()))
        .containsExactly(violation("bundle.files", "at most 3 files, got 10000; split the bundle"));
  }

  @Test
  void clashesAreReportedAgainstTheFirstFileTheyMeetWhateverTheOrder() {
    BundleValidator wide = new BundleValidator(settings(Path.of("/var/lib/x"), 10), ACCOUNTS);
    ConfigBundle bundle =
        bundle(
            "v1",
            file(ROOT + "/d/a", "", 0),
            file(ROOT + "/d/b", "", 0),
            file(ROOT + "/d", "", 0),
            file(ROOT + "/d/b/c", "", 0),
            file(ROOT + "/d/a", "", 0),
            file(ROOT + "/e", "", 0),
            file(ROOT + "/e/f/g", "", 0),
            file(ROOT + "/d/ab", "", 0));

    assertThat(wide.validate(bundle))
        .containsExactly(
            violation(
                "bundle.files[2].path",
                "one of this and bundle.files[0].path would have to be a directory"),
            violation(
                "bundle.files[3].path",
                "one of this and bundle.files[1].path would have to be a directory"),
            violation("bundle.files[4].path", "duplicates bundle.files[0].path"),
            violation(
                "bundle.files[6].path",
                "one of this and bundle.files[5].path would have to be a directory"));
  }

  @Test
  void deepPathsSharingLongPrefixesPass() {
    // 256 files at the deepest nesting the path limit allows, all below one long directory chain:
    // the case that made pairwise prefix checks slow.
    String chain = ROOT + "/d".repeat(1900);
    BundleValidator many = new BundleValidator(settings(Path.of("/var/lib/x"), 256), ACCOUNTS);
    List<ConfigFile> files = new ArrayList<>();
    for (int i = 0; i < 256; i++) {
      files.add(file(chain + "/f" + i, "", 0));
    }
    ConfigBundle bundle = bundle("v1", files.toArray(ConfigFile[]::new));

    assertThat(many.validate(bundle)).isEmpty();
  }

  // Limits are inclusive: each test below pins a rule at its edge, from both sides where both
  // sides are reachable.

  @Test
  void aPathOfExactly4095BytesPassesAndOneByteMoreIsRefused() {
    String dirs = ROOT + "/" + "d".repeat(200) + ("/" + "d".repeat(200)).repeat(18);
    String exact = dirs + "/" + "f".repeat(4095 - dirs.length() - 1);
    assertThat(exact).hasSize(4095);
    assertThat(validate(single(file(exact, "x", 0)))).isEmpty();

    assertOnly(
        validate(single(file(exact + "g", "x", 0))),
        "bundle.files[0].path",
        "longer than 4095 bytes");
  }

  @Test
  void aNulAtTheVeryStartIsReportedAsNul() {
    assertOnly(validate(single(file("\0" + ROOT + "/a", "x", 0))), "bundle.files[0].path", "NUL");
  }

  @Test
  void spacesAreNotControlCharactersButUnitSeparatorsAndDeleteAre() {
    assertThat(validate(single(file(ROOT + "/with space", "x", 0)))).isEmpty();
    assertOnly(
        validate(single(file(ROOT + "/a\u001fb", "x", 0))),
        "bundle.files[0].path",
        "control characters");
    assertOnly(
        validate(single(file(ROOT + "/a\u007fb", "x", 0))),
        "bundle.files[0].path",
        "control characters");
  }

  @Test
  void aBundleOfExactlyTheTotalLimitPasses() {
    ConfigBundle atLimit =
        bundle("v1", file(ROOT + "/a", new byte[75], 0), file(ROOT + "/b", new byte[75], 0));
    assertThat(validate(atLimit)).isEmpty();
  }

  @Test
  void theLargestIntIsAValidNumericIdAndOneMoreIsNot() {
    ConfigFile base = file(ROOT + "/a", "x", 0644);
    assertThat(validate(single(base.toBuilder().setOwner("2147483647").build()))).isEmpty();
    assertOnly(
        validate(single(base.toBuilder().setOwner("2147483648").build())),
        "bundle.files[0].owner",
        "out of range");
  }

  @Test
  void modeZeroMeans0644AndAnyOtherModeIsKept() {
    assertThat(BundleValidator.effectiveMode(0)).isEqualTo(0644);
    assertThat(BundleValidator.effectiveMode(0600)).isEqualTo(0600);
    assertThat(BundleValidator.effectiveMode(0777)).isEqualTo(0777);
  }
}
