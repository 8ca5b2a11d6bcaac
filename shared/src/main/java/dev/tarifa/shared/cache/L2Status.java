package dev.tarifa.shared.cache;

/** The state of the shared Redis layer, for readiness (a degraded L2 leaves the gateway ready). */
public enum L2Status {
  /** Redis answers; its circuit breaker is closed. */
  UP,
  /**
   * Redis failed recently; its breaker is open or half-open and lookups use L1 and the origin only.
   */
  DEGRADED,
  /** No Redis configured: L1-only mode. */
  DISABLED
}
