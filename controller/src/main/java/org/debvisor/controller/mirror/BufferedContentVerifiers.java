package org.debvisor.controller.mirror;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import org.bouncycastle.openpgp.operator.PGPContentVerifier;
import org.bouncycastle.openpgp.operator.PGPContentVerifierBuilderProvider;

/**
 * Bouncy Castle's verifiers (JDK crypto) behind a buffer. BC feeds a text-mode signature (as {@code
 * InRelease}'s is) one byte at a time, for its line-ending rules; unbuffered, each byte went
 * through four JCA delegates into the digest (a sixth of a warm ISO build's CPU, measured with
 * JFR). BC closes the stream before it checks the signature, which flushes the buffer.
 */
final class BufferedContentVerifiers {

  private BufferedContentVerifiers() {}

  static PGPContentVerifierBuilderProvider around(PGPContentVerifierBuilderProvider provider) {
    return (keyAlgorithm, hashAlgorithm) -> {
      var builder = provider.get(keyAlgorithm, hashAlgorithm);
      return key -> buffered(builder.build(key));
    };
  }

  private static PGPContentVerifier buffered(PGPContentVerifier verifier) {
    OutputStream buffer = new BufferedOutputStream(verifier.getOutputStream(), 1 << 16);
    return new PGPContentVerifier() {
      @Override
      public OutputStream getOutputStream() {
        return buffer;
      }

      @Override
      public int getHashAlgorithm() {
        return verifier.getHashAlgorithm();
      }

      @Override
      public int getKeyAlgorithm() {
        return verifier.getKeyAlgorithm();
      }

      @Override
      public long getKeyID() {
        return verifier.getKeyID();
      }

      @Override
      public boolean verify(byte[] expected) {
        try {
          buffer.flush();
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
        return verifier.verify(expected);
      }
    };
  }
}
