package dev.tarifa.shared.domain;

/**
 * The change cannot be made in the current state: what it would create exists already, or it would
 * break a rule of the domain (an administrator removing its own role). Retrying the same change
 * cannot succeed until the state changes. Answered as a 409.
 */
public final class Conflict extends DomainException {
  /**
   * @param message why, for the caller: {@code "station FRA exists already"}
   */
  public Conflict(String message) {
    super(message);
  }
}
