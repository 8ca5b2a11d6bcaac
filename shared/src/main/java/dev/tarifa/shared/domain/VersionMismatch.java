package dev.tarifa.shared.domain;

/**
 * Optimistic concurrency refused a write: the version the caller based it on is not the current one
 * (someone else changed the thing since the caller read it), or the caller named a version of a
 * thing that does not exist yet. Answered as a 412; the caller reads again and retries.
 */
public final class VersionMismatch extends DomainException {
  /**
   * @param message what did not match, for the caller; may name the current version
   */
  public VersionMismatch(String message) {
    super(message);
  }
}
