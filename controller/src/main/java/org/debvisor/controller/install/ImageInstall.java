package org.debvisor.controller.install;

import java.io.ByteArrayInputStream;
import java.security.MessageDigest;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import org.debvisor.common.digest.Sha256;
import org.debvisor.common.violation.Violation;
import org.debvisor.controller.node.Architecture;
import org.debvisor.controller.node.InvalidInputException;
import org.debvisor.controller.node.NodeInstall;
import org.debvisor.controller.node.Profile;

/**
 * What image-mode media carry for one node besides the image: the installer's answer and the node's
 * own files. {@link #prepare} checks first that the image can install this node.
 *
 * @param image the verified image directory
 * @param installConf {@code /debvisor/install.conf}
 * @param overlayTar {@code /debvisor/overlay.tar}
 */
public record ImageInstall(InstallImage image, String installConf, byte[] overlayTar) {

  /**
   * @param source the node.yaml's name, for messages
   * @param controllerCa PEM of the controller's CA; required when the node enrols
   * @param epochSeconds timestamp of the overlay's files
   * @throws InvalidInputException naming every key the image cannot satisfy; nothing is written
   */
  public static ImageInstall prepare(
      String source,
      NodeInstall node,
      Profile profile,
      Architecture arch,
      InstallImage image,
      String controllerCa,
      long epochSeconds)
      throws InvalidInputException {
    List<Violation> problems = new ArrayList<>();
    if (!image.arch().equals(arch.debianName())) {
      problems.add(
          new Violation(
              "--arch",
              "the image in "
                  + image.dir()
                  + " is for "
                  + image.arch()
                  + ", not "
                  + arch.debianName()
                  + "; build one with debvisor image build --arch "
                  + arch.debianName()));
    }
    if (!image.profile().equals(node.profile())) {
      problems.add(
          new Violation(
              "profile",
              "the image carries profile "
                  + image.profile()
                  + ", the node wants "
                  + node.profile()
                  + "; build an image with --profile "
                  + node.profile()));
    }
    for (int i = 0; i < node.packages().size(); i++) {
      String pkg = node.packages().get(i);
      if (!image.packages().contains(pkg)) {
        problems.add(
            new Violation(
                "packages[" + i + "]",
                pkg
                    + " is not in the image (image installs need no mirror, so they add no"
                    + " packages); add it to the profile and rebuild the image, or use --mode"
                    + " preseed"));
      }
    }
    if (node.agent() != null) {
      checkCa(node.agent().caFingerprint(), controllerCa, problems);
    }
    PartitionPlan plan = PartitionPlan.of(node.disk(), arch, problems);
    if (!problems.isEmpty()) {
      throw new InvalidInputException(source, problems);
    }
    String answer = InstallAnswer.render(node, arch, plan, image.rootfsSha256());
    byte[] overlay =
        new OverlayTar(epochSeconds).pack(NodeFiles.of(node, profile, arch, controllerCa));
    return new ImageInstall(image, answer, overlay);
  }

  /** A digest of the answer and overlay, so media for different nodes get different markers. */
  public String fingerprint() {
    MessageDigest digest = Sha256.digest();
    digest.update(installConf.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    digest.update(overlayTar);
    return HexFormat.of().formatHex(digest.digest());
  }

  private static void checkCa(String fingerprint, String pem, List<Violation> problems) {
    if (pem == null) {
      problems.add(
          new Violation(
              "agent",
              "the node enrols with a controller, so the media need its CA certificate: pass"
                  + " --controller-ca FILE (the controller's <state>/ca.pem)"));
      return;
    }
    try {
      X509Certificate ca =
          (X509Certificate)
              CertificateFactory.getInstance("X.509")
                  .generateCertificate(
                      new ByteArrayInputStream(
                          pem.getBytes(java.nio.charset.StandardCharsets.US_ASCII)));
      String actual = Sha256.hex(ca.getEncoded());
      String wanted = fingerprint.replace(":", "").toLowerCase(Locale.ROOT);
      if (!actual.equals(wanted)) {
        problems.add(
            new Violation(
                "agent.caFingerprint",
                "does not match --controller-ca (its SHA-256 is "
                    + actual
                    + "); copy the fingerprint of the controller's CA into node.yaml"));
      }
    } catch (CertificateException e) {
      problems.add(
          new Violation("--controller-ca", "not a PEM X.509 certificate: " + e.getMessage()));
    }
  }
}
