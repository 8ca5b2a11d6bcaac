package dev.tarifa.shared.domain;

/**
 * An expected outcome of a domain operation that is not its result: the thing is absent ({@link
 * NotFound}), the change clashes with what exists ({@link Conflict}), the caller's version is stale
 * ({@link VersionMismatch}) or missing ({@link VersionRequired}), a value the caller chose is not
 * acceptable ({@link InvalidValue}), the caller is not who it needs to be ({@link
 * Unauthenticated}), or a service this one depends on cannot answer ({@link Unavailable}).
 *
 * <p>Stores and services fail with these (thrown, or as the cause of a failed future) and know
 * nothing of HTTP; the one failure handler of every service ({@code
 * dev.tarifa.shared.http.ProblemHandler}) turns each kind into its problem detail, so the mapping
 * from outcome to status is written once. The {@linkplain #getMessage() message} is meant for the
 * caller (it becomes the problem's {@code detail}) and must not reveal internals.
 *
 * <p>Like the problems they become, these are answers, not bugs: they carry no stack trace, no
 * cause and no suppressed exceptions, which also makes them cheap to create on hot paths.
 */
public abstract sealed class DomainException extends RuntimeException
    permits NotFound,
        Conflict,
        VersionMismatch,
        VersionRequired,
        InvalidValue,
        Unauthenticated,
        Unavailable {

  DomainException(String message) {
    super(message, null, false, false);
  }
}
