package dev.tarifa.checks.browser;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.tarifa.checks.support.Tools;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The web page at {@code /} in Debian's headless Chromium against the running all-in-one: {@code
 * tools/browser/page-check.mjs} (playwright-core driving {@code /usr/bin/chromium}, never a
 * downloaded browser) searches every tab and compares what it shows with the API's answer to the
 * same request, forces a 400, an empty answer, empty trip legs, a real 429, a degraded answer and a
 * 503, runs axe-core on each state, searches with the keyboard alone and at 375 px, and writes
 * screenshots. Screenshots go to {@code target/browser}, or to {@code $TARIFA_SCREENSHOTS_DIR}
 * ({@code tools/browser/screenshots.sh} points it at {@code docs/screenshots}).
 */
class PageInBrowserTest {
  @Test
  void everyTabErrorAndDegradedStateAccessibleByKeyboardAndAt375px() throws Exception {
    Path node = Tools.require("node");
    Tools.require("/usr/bin/chromium");
    Path tool = Tools.repoRoot().resolve("tools/browser");
    for (String module : List.of("playwright-core", "axe-core")) {
      if (!Files.isDirectory(tool.resolve("node_modules").resolve(module))) {
        fail(
            "tools/browser/node_modules/"
                + module
                + " is missing: run .ci/install-tools (npm ci in tools/browser)");
      }
    }
    Path target = Path.of("target", "browser").toAbsolutePath();
    String shots = System.getenv("TARIFA_SCREENSHOTS_DIR");
    Path out =
        shots == null || shots.isBlank()
            ? target.resolve("screenshots")
            : Path.of(shots).toAbsolutePath();
    try (AllInOne app = AllInOne.start(target.resolve("all-in-one.log"), Map.of())) {
      Tools.Result r =
          Tools.run(
              tool, 600, List.of(node.toString(), "page-check.mjs", app.baseUrl(), out.toString()));
      System.out.println(r.output());
      assertThat(r.exitCode())
          .as("page-check.mjs:\n%s\nplatform log:\n%s", r.output(), app.logTail())
          .isZero();
      assertThat(r.output()).contains(" passed, 0 failed");
    }
    for (String tab : List.of("flights", "hotels", "cars", "trips")) {
      for (String width : List.of("desktop", "phone")) {
        assertThat(out.resolve(tab + "-" + width + ".png")).isNotEmptyFile();
      }
    }
  }
}
