package dev.tarifa.reviews.domain;

/** The order of a list of reviews; ties fall back to newest first. */
public enum ReviewOrder {
  /** Newest first. */
  NEWEST,
  /** Most helpful votes first. */
  HELPFUL
}
