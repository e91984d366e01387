package org.debvisor.controller.qemu;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;

/** Converts QEMU's {@code screendump} output (binary PPM, P6, 8 bit) to PNG. */
final class PortablePixmap {

  private PortablePixmap() {}

  static void toPng(Path ppm, Path png) throws IOException {
    byte[] data = Files.readAllBytes(ppm);
    int[] pos = {0};
    String magic = token(data, pos);
    int width = Integer.parseInt(token(data, pos));
    int height = Integer.parseInt(token(data, pos));
    int max = Integer.parseInt(token(data, pos));
    pos[0]++; // the single whitespace before the pixels
    if (!magic.equals("P6") || max != 255 || data.length - pos[0] < 3L * width * height) {
      throw new IOException(ppm + " is not an 8-bit binary PPM");
    }
    BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    int p = pos[0];
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++, p += 3) {
        image.setRGB(
            x, y, (data[p] & 0xff) << 16 | (data[p + 1] & 0xff) << 8 | (data[p + 2] & 0xff));
      }
    }
    ImageIO.write(image, "png", png.toFile());
  }

  private static String token(byte[] data, int[] pos) throws IOException {
    while (pos[0] < data.length && Character.isWhitespace(data[pos[0]])) {
      pos[0]++;
    }
    int start = pos[0];
    while (pos[0] < data.length && !Character.isWhitespace(data[pos[0]])) {
      pos[0]++;
    }
    if (start == pos[0]) {
      throw new IOException("truncated PPM header");
    }
    return new String(data, start, pos[0] - start, StandardCharsets.US_ASCII);
  }
}
