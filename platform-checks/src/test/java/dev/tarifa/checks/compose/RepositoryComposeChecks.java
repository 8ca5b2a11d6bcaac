package dev.tarifa.checks.compose;

import java.util.ArrayList;
import java.util.List;

/**
 * The compose policy of {@link ComposePolicyTest} on any compose text, for checks outside this
 * package (tools/new-service's test).
 */
public final class RepositoryComposeChecks {
  private RepositoryComposeChecks() {}

  /**
   * The violations of {@code docker-compose config}'s output {@code rendered} and of the committed
   * file's text {@code raw}.
   */
  public static List<String> violations(String rendered, String raw) {
    List<String> out = new ArrayList<>(ComposePolicy.config(ComposePolicy.parse(rendered)));
    out.addAll(ComposePolicy.noSecretLiterals(ComposePolicy.parse(raw)));
    return out;
  }
}
