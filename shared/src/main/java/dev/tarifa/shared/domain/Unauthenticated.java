package dev.tarifa.shared.domain;

/**
 * The caller could not be identified as an active account: wrong credentials, or a token whose
 * account no longer exists or is disabled. The message must not tell which (an unknown e-mail and a
 * wrong password read the same). Answered as a 401.
 */
public final class Unauthenticated extends DomainException {
  /**
   * @param message for the caller, without saying which check failed
   */
  public Unauthenticated(String message) {
    super(message);
  }
}
