package org.debvisor.controller.mirror;

import java.net.URI;

/** The Debian mirror and shared download cache the ISO tests use (reruns reuse the cache). */
public final class MirrorFixture {

  public static final URI MIRROR = URI.create("http://deb.debian.org/debian");
  public static final String SUITE = "trixie";

  private MirrorFixture() {}

  public static VerifiedFetcher fetcher() {
    return new VerifiedFetcher(
        MirrorClient.create(MIRROR), new ArtifactCache(ArtifactCache.defaultRoot()), Progress.NONE);
  }

  public static ClearsignedVerifier verifier() throws IsoBuildException {
    return ClearsignedVerifier.fromKeyring(ClearsignedVerifier.DEBIAN_KEYRING);
  }
}
