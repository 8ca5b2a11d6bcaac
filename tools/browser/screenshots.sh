#!/bin/sh
# Regenerates docs/screenshots/*.png: runs the browser check (PageInBrowserTest: the all-in-one with the small
# catalogue, every tab searched in headless /usr/bin/chromium) with its screenshots written to docs/screenshots.
# Needs node, /usr/bin/chromium and tools/browser/node_modules (.ci/install-tools).
set -eu
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
TARIFA_SCREENSHOTS_DIR="$root/docs/screenshots" mvn -B -q -pl platform-checks -am \
  -Dtest='dev.tarifa.checks.browser.**' -Dsurefire.failIfNoSpecifiedTests=false verify
ls -l docs/screenshots
