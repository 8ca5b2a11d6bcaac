package dev.tarifa.shared.config;

/**
 * An invalid configuration value. The message is one line that names the key, so start-up can print
 * it and exit without a stack trace.
 */
public final class ConfigException extends RuntimeException {
  private final String key;

  public ConfigException(String key, String problem) {
    super(key + ": " + problem);
    this.key = key;
  }

  public String key() {
    return key;
  }
}
