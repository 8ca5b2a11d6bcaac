package dev.tarifa.hotels.domain;

import java.util.Locale;

/**
 * The room types a hotel can sell, with their default maximum occupancy and price factor (percent
 * of a double).
 */
public enum RoomKind {
  SINGLE(1, 80),
  DOUBLE(2, 100),
  TWIN(2, 100),
  FAMILY(4, 150),
  SUITE(3, 220);

  public final int defaultOccupancy;
  public final int priceFactor;

  RoomKind(int defaultOccupancy, int priceFactor) {
    this.defaultOccupancy = defaultOccupancy;
    this.priceFactor = priceFactor;
  }

  public String code() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The kind for a code, or null. */
  public static RoomKind of(String code) {
    for (RoomKind k : values()) if (k.code().equalsIgnoreCase(code)) return k;
    return null;
  }
}
