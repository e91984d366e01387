package org.debvisor.controller.mirror;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import org.apache.commons.compress.archivers.cpio.CpioArchiveEntry;
import org.apache.commons.compress.archivers.cpio.CpioArchiveInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;

/**
 * What an installer initrd already holds: its udebs (with what they provide, from {@code
 * var/lib/dpkg/status}) and its kernel ABI (from {@code usr/lib/modules/ABI}).
 *
 * @param installed package and virtual package names present
 * @param kernelAbi like {@code 6.12.94+deb13-amd64}
 */
record InitrdContents(Set<String> installed, String kernelAbi) {

  public InitrdContents {
    installed = Set.copyOf(installed);
  }

  /** Reads the installer's {@code initrd.gz}. */
  public static InitrdContents read(Path initrdGz) throws IsoBuildException {
    Set<String> installed = new HashSet<>();
    String abi = null;
    try (InputStream raw = new BufferedInputStream(Files.newInputStream(initrdGz));
        CpioArchiveInputStream cpio =
            new CpioArchiveInputStream(new GzipCompressorInputStream(raw), "ISO-8859-1")) {
      for (CpioArchiveEntry e; (e = cpio.getNextEntry()) != null; ) {
        String name = e.getName().replaceFirst("^\\./", "");
        if (name.equals("var/lib/dpkg/status")) {
          for (PackageStanza s :
              PackageStanza.parseAll(new String(cpio.readAllBytes(), StandardCharsets.UTF_8))) {
            installed.add(s.name());
            installed.addAll(s.provides());
          }
        } else if (abi == null && name.matches("(usr/)?lib/modules/[^/]+") && e.isDirectory()) {
          abi = name.substring(name.lastIndexOf('/') + 1);
        }
      }
    } catch (IOException e) {
      throw new IsoBuildException("cannot read initrd " + initrdGz + ": " + e.getMessage(), e);
    }
    if (installed.isEmpty() || abi == null) {
      throw new IsoBuildException(
          initrdGz + ": no var/lib/dpkg/status or lib/modules/ (not a Debian installer initrd?)");
    }
    return new InitrdContents(installed, abi);
  }
}
