package dev.tarifa.shared.http;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.vertx.core.buffer.Buffer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;

/**
 * JSON written with a streaming {@link JsonGenerator} straight into a {@link Buffer}: for large
 * answers built on a hot path, where a {@code JsonObject} tree would be allocated only to be walked
 * once by the encoder. The generator escapes as {@code JsonObject#toBuffer()} does (the same
 * Jackson defaults: UTF-8, control characters, quote and backslash escaped), so a body written
 * field by field in the tree's order is byte-for-byte the tree's encoding.
 */
public final class JsonBuffers {
  private static final JsonFactory FACTORY = new JsonFactory();

  private JsonBuffers() {}

  /** What writes one JSON value with the generator. */
  @FunctionalInterface
  public interface Writer {
    void write(JsonGenerator gen) throws IOException;
  }

  /**
   * The bytes {@code writer} produces, in a new buffer of about {@code sizeHint} bytes to start
   * with.
   *
   * @throws UncheckedIOException if the writer fails (it cannot on a buffer, except for malformed
   *     JSON such as a field name outside an object)
   */
  public static Buffer write(int sizeHint, Writer writer) {
    Buffer out = Buffer.buffer(Math.max(64, sizeHint));
    try (JsonGenerator gen = FACTORY.createGenerator(new BufferStream(out))) {
      writer.write(gen);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out;
  }

  /** Appends what the generator flushes (chunks of its own buffer) to the target. */
  private static final class BufferStream extends OutputStream {
    private final Buffer out;

    BufferStream(Buffer out) {
      this.out = out;
    }

    @Override
    public void write(int b) {
      out.appendByte((byte) b);
    }

    @Override
    public void write(byte[] b, int off, int len) {
      out.appendBytes(b, off, len);
    }
  }
}
