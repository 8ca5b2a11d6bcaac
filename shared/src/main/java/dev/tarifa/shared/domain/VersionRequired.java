package dev.tarifa.shared.domain;

/**
 * A write that would replace an existing thing came without the version it is based on, so a
 * concurrent change could be lost silently. Answered as a 428; the caller reads the thing and sends
 * its version.
 */
public final class VersionRequired extends DomainException {
  /**
   * @param message what to send, for the caller
   */
  public VersionRequired(String message) {
    super(message);
  }
}
