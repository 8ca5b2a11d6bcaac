package dev.tarifa.flights.domain;

import java.nio.charset.StandardCharsets;
import java.time.LocalDateTime;

/**
 * ISO-8601 text of the local times a flight answer is full of, without {@code
 * LocalDateTime.toString}'s builder: that call was about 9 % of a search miss's CPU (every
 * candidate's id, every leg's departure and arrival on the page).
 */
public final class IsoTimes {
  private IsoTimes() {}

  /**
   * Exactly {@code t.toString()}: {@code yyyy-MM-ddTHH:mm} for the whole minutes of years 1000 to
   * 9999 (every schedule time), {@code toString()} itself otherwise.
   */
  public static String minutes(LocalDateTime t) {
    int y = t.getYear();
    if (t.getSecond() != 0 || t.getNano() != 0 || y < 1000 || y > 9999) return t.toString();
    byte[] b = new byte[16];
    b[0] = (byte) ('0' + y / 1000);
    b[1] = (byte) ('0' + y / 100 % 10);
    b[2] = (byte) ('0' + y / 10 % 10);
    b[3] = (byte) ('0' + y % 10);
    b[4] = '-';
    two(b, 5, t.getMonthValue());
    b[7] = '-';
    two(b, 8, t.getDayOfMonth());
    b[10] = 'T';
    two(b, 11, t.getHour());
    b[13] = ':';
    two(b, 14, t.getMinute());
    return new String(b, StandardCharsets.ISO_8859_1);
  }

  private static void two(byte[] b, int at, int v) {
    b[at] = (byte) ('0' + v / 10);
    b[at + 1] = (byte) ('0' + v % 10);
  }
}
