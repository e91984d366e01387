package org.debvisor.controller.iso;

import java.net.URI;

/** The Debian mirror and shared download cache the ISO tests use (reruns reuse the cache). */
final class MirrorFixture {

  static final URI MIRROR = URI.create("http://deb.debian.org/debian");
  static final String SUITE = "trixie";

  private MirrorFixture() {}

  static VerifiedFetcher fetcher() {
    return new VerifiedFetcher(
        MirrorClient.create(MIRROR), new ArtifactCache(ArtifactCache.defaultRoot()), Progress.NONE);
  }

  static ClearsignedVerifier verifier() throws IsoBuildException {
    return ClearsignedVerifier.fromKeyring(ClearsignedVerifier.DEBIAN_KEYRING);
  }
}
