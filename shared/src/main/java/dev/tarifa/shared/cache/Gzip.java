package dev.tarifa.shared.cache;

import io.vertx.core.buffer.Buffer;
import java.util.zip.CRC32;
import java.util.zip.Deflater;

/**
 * The gzip form of a cached body (RFC 1952: a 10-byte header, the raw DEFLATE stream, CRC-32 and
 * length), made once when an entry is filled. One {@link Deflater} per thread is reused (reset
 * between bodies) rather than one per body as {@code GZIPOutputStream} does: its native state is
 * allocated once.
 */
final class Gzip {
  /**
   * Bodies shorter than this are not compressed: the saving is smaller than the framing and the
   * header.
   */
  static final int MIN_BYTES = 1024;

  /**
   * zlib level 3, the strongest of its fast strategy: compression runs on every miss, and on flight
   * answers of 23–25 KB it took 37–45 µs of CPU against 87–141 µs at the default 6, for forms 11–13
   * % larger (2,595–2,965 bytes instead of 2,297–2,672; docs/PERFORMANCE.md, "Miss path, second
   * pass").
   */
  static final int LEVEL = 3;

  private static final byte[] HEADER = {
    0x1f, (byte) 0x8b, Deflater.DEFLATED, 0, 0, 0, 0, 0, 0, (byte) 0xff
  };
  private static final ThreadLocal<Deflater> DEFLATERS =
      ThreadLocal.withInitial(() -> new Deflater(LEVEL, true));
  private static final ThreadLocal<byte[]> CHUNKS =
      ThreadLocal.withInitial(() -> new byte[16 * 1024]);

  private Gzip() {}

  /**
   * The gzip form of the body {@code in}, or null when it is not worth keeping: shorter than {@link
   * #MIN_BYTES}, or not at least 1/8 smaller than the body once compressed (already compressed or
   * random data). The form is in an array of its exact length (L1 weighs it by its length).
   */
  static Buffer compressOrNull(byte[] in) {
    int n = in.length;
    if (n < MIN_BYTES) return null;
    Deflater d = DEFLATERS.get();
    byte[] chunk = CHUNKS.get();
    Buffer out = Buffer.buffer(n / 4 + 32).appendBytes(HEADER);
    try {
      d.setInput(in);
      d.finish();
      while (!d.finished()) {
        int k = d.deflate(chunk);
        out.appendBytes(chunk, 0, k);
        if (out.length() > n - n / 8) return null; // not worth a second representation
      }
    } finally {
      d.reset();
    }
    CRC32 crc = new CRC32();
    crc.update(in);
    out.appendIntLE((int) crc.getValue()).appendIntLE(n);
    // out grew from a guess (a quarter of the body; forms are nearer an eighth)
    return Buffer.buffer(out.getBytes());
  }
}
