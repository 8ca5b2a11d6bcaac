package dev.tarifa.shared.domain;

/**
 * The thing an operation names does not exist (or is not visible to the caller). Answered as a 404.
 */
public final class NotFound extends DomainException {
  /**
   * @param message what is missing, for the caller: {@code "no hotel 42"}
   */
  public NotFound(String message) {
    super(message);
  }
}
