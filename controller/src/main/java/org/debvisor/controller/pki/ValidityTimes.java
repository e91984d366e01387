package org.debvisor.controller.pki;

import java.time.Instant;
import java.util.Date;
import java.util.concurrent.atomic.AtomicReference;
import org.bouncycastle.asn1.x509.Time;

/**
 * The ASN.1 times of a certificate's validity, remembered for the last pair of whole seconds asked
 * for: Bouncy Castle encodes a {@link Time} through a new {@code SimpleDateFormat} each time (about
 * a tenth of issuing, JFR 2026-12-03), and the enrolments of one second all share their pair.
 */
final class ValidityTimes {

  /** Encoded validity bounds, both whole seconds since the epoch. */
  record Pair(long notBefore, long notAfter, Time notBeforeTime, Time notAfterTime) {}

  private final AtomicReference<Pair> last = new AtomicReference<>();

  /** The times of {@code notBefore} and {@code notAfter}, both truncated to whole seconds. */
  Pair of(Instant notBefore, Instant notAfter) {
    long from = notBefore.getEpochSecond();
    long to = notAfter.getEpochSecond();
    Pair known = last.get();
    if (known != null && known.notBefore() == from && known.notAfter() == to) {
      return known;
    }
    // Time picks UTCTime up to 2049 and GeneralizedTime after (RFC 5280), both in whole seconds.
    Pair made =
        new Pair(
            from,
            to,
            new Time(Date.from(Instant.ofEpochSecond(from))),
            new Time(Date.from(Instant.ofEpochSecond(to))));
    last.set(made);
    return made;
  }
}
