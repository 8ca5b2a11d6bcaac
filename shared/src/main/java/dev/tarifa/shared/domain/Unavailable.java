package dev.tarifa.shared.domain;

/**
 * A service or resource this operation depends on did not answer, or not usefully, so the operation
 * could not be decided either way; retrying later may succeed. Answered as a 503. The failure
 * itself is logged where it is seen (with what was called), not by the failure handler.
 */
public final class Unavailable extends DomainException {
  /**
   * @param message what could not be done, for the caller, without internal addresses
   */
  public Unavailable(String message) {
    super(message);
  }
}
