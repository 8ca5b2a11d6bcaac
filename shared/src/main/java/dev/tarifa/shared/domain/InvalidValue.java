package dev.tarifa.shared.domain;

import java.util.Objects;

/**
 * A value of the caller's input is well-formed but not acceptable to the domain (it names a city, a
 * subject or a provider that does not exist). Answered as a 400 naming the {@linkplain #parameter()
 * parameter}, exactly like a malformed value rejected while parsing the request: the message is
 * {@code "<parameter>: <problem>"}.
 */
public final class InvalidValue extends DomainException {
  private final String parameter;

  /**
   * @param parameter the name of the input field or query parameter at fault, as the caller sent it
   * @param problem what is wrong with it: {@code "unknown city atlantis"}
   */
  public InvalidValue(String parameter, String problem) {
    super(Objects.requireNonNull(parameter, "parameter") + ": " + problem);
    this.parameter = parameter;
  }

  /** The name of the input field or query parameter at fault. */
  public String parameter() {
    return parameter;
  }
}
