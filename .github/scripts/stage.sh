#!/usr/bin/env bash
# Deployment steps of .github/workflows/deploy-stage.yml that need more than one line: what changed (for a precise
# rollback), the rollback itself, the stage's public URL, and the gateway canary (start, analyse, remove).
# Needs kubectl with a context on the stage's cluster (KUBECONFIG), jq and curl; the canary analysis needs
# PROMETHEUS_URL (and PROMETHEUS_TOKEN when that Prometheus wants a bearer token).
#
#   stage.sh snapshot <namespace> <file>       record every Deployment's revision before an apply
#   stage.sh undo <namespace> <file>           roll back every Deployment whose revision changed since the snapshot
#   stage.sh base-url <namespace>              the gateway's public URL, from the stage's Ingress
#   stage.sh canary-up <namespace> <image>     one gateway-canary pod (stable pod spec, new image) behind the Service
#   stage.sh canary-check <namespace> <rounds> compare canary and stable in Prometheus, one round a minute
#   stage.sh canary-down <namespace>           remove the canary
set -euo pipefail

die() { echo "::error::$*" >&2; exit 1; }

revisions() {
  kubectl get deploy -n "$1" \
    -o jsonpath='{range .items[*]}{.metadata.name}{"="}{.metadata.annotations.deployment\.kubernetes\.io/revision}{"\n"}{end}'
}

snapshot() {
  local ns=$1 file=$2
  revisions "$ns" | sort >"$file"
  echo "revisions before the apply:"; cat "$file"
}

# Only Deployments this run changed go back: undoing an untouched one would roll it to an older revision.
undo() {
  local ns=$1 file=$2 failed=0 undone=()
  local now; now=$(revisions "$ns" | sort)
  while IFS='=' read -r name rev; do
    [ -n "$name" ] || continue
    [ "$name" != gateway-canary ] || continue   # removed by canary-down, never rolled back
    local before; before=$(grep -E "^${name}=" "$file" | cut -d= -f2- || true)
    if [ -z "$before" ]; then
      echo "::warning::deploy/$name is new in this run: it has no earlier revision to return to (left as is)"
    elif [ "$before" != "$rev" ]; then
      echo "rolling back deploy/$name (revision $rev -> previous)"
      kubectl rollout undo "deploy/$name" -n "$ns" || failed=1
      undone+=("$name")
    fi
  done <<<"$now"
  for name in "${undone[@]}"; do
    kubectl rollout status "deploy/$name" -n "$ns" --timeout=10m || failed=1
  done
  [ "${#undone[@]}" -gt 0 ] || echo "no Deployment had changed: nothing to roll back"
  [ "$failed" -eq 0 ] || die "rollback incomplete: check 'kubectl get deploy -n $ns'"
}

# The first Ingress rule's host; https when the Ingress has TLS for it.
base_url() {
  local ns=$1 ing host tls
  ing=$(kubectl get ingress -n "$ns" -o json)
  host=$(jq -r '[.items[].spec.rules[]?.host | select(. != null)][0] // empty' <<<"$ing")
  [ -n "$host" ] || die "no Ingress host in namespace $ns: set the environment variable TARIFA_BASE_URL"
  tls=$(jq -r --arg h "$host" '[.items[].spec.tls[]?.hosts[]? | select(. == $h)] | length' <<<"$ing")
  if [ "$tls" -gt 0 ]; then echo "https://$host"; else echo "http://$host"; fi
}

# The canary is the live stable gateway's pod spec with the new image: same Service selector
# (app.kubernetes.io/name=gateway), one replica, its own selector (track=canary) so neither Deployment adopts the
# other's pods. Config changes of the new release are not in it: it tests the new gateway code.
canary_up() {
  local ns=$1 image=$2 repo=${2%:*}
  kubectl get deploy gateway -n "$ns" -o json | jq --arg image "$image" --arg repo "$repo" '
    {apiVersion, kind,
     metadata: {name: "gateway-canary", namespace: .metadata.namespace,
                labels: ((.metadata.labels // {}) + {track: "canary"})},
     spec: (.spec
       | .replicas = 1
       | .selector.matchLabels.track = "canary"
       | .template.metadata.labels.track = "canary"
       | .template.spec.containers |= map(if (.image | startswith($repo + ":") or startswith($repo + "@"))
                                          then .image = $image else . end))}' >"${RUNNER_TEMP:-/tmp}/gateway-canary.json"
  jq -e --arg image "$image" '[.spec.template.spec.containers[].image] | index($image) != null' \
    "${RUNNER_TEMP:-/tmp}/gateway-canary.json" >/dev/null || die "no container of deploy/gateway runs $repo"
  kubectl apply -f "${RUNNER_TEMP:-/tmp}/gateway-canary.json"
  kubectl rollout status deploy/gateway-canary -n "$ns" --timeout=5m
}

canary_down() {
  kubectl delete deploy gateway-canary -n "$1" --ignore-not-found --wait=true
}

prom() {
  local auth=()
  [ -z "${PROMETHEUS_TOKEN:-}" ] || auth=(-H "Authorization: Bearer $PROMETHEUS_TOKEN")
  curl -fsS -m 20 "${auth[@]}" "${PROMETHEUS_URL%/}/api/v1/query" --data-urlencode "query=$1" \
    | jq -r 'if .status != "success" then error("query failed") else (.data.result[0].value[1] // "NaN") end'
}

# Search traffic only (route /api/...): probes and scrapes would make any pod look healthy.
canary_check() {
  local ns=$1 rounds=$2
  [ -n "${PROMETHEUS_URL:-}" ] || die "PROMETHEUS_URL is not set (secret of the production environment)"
  local m=tarifa_http_server_requests_seconds
  local canary="namespace=\"$ns\",pod=~\"gateway-canary-.*\",route=~\"/api/.*\""
  # Stable pods are gateway-<replicaset hash>-<pod hash>; PromQL regexes are anchored, so canary pods do not match.
  local stable="namespace=\"$ns\",pod=~\"gateway-[a-z0-9]+-[a-z0-9]+\",route=~\"/api/.*\""
  local judged=0
  for i in $(seq 1 "$rounds"); do
    sleep "${CANARY_INTERVAL:-60}"
    local c_rps c_err s_err c_p99 s_p99
    c_rps=$(prom "sum(rate(${m}_count{$canary}[2m]))")
    c_err=$(prom "sum(rate(${m}_count{$canary,status=~\"5..|0\"}[2m])) / sum(rate(${m}_count{$canary}[2m]))")
    s_err=$(prom "sum(rate(${m}_count{$stable,status=~\"5..|0\"}[2m])) / sum(rate(${m}_count{$stable}[2m]))")
    c_p99=$(prom "histogram_quantile(0.99, sum by (le) (rate(${m}_bucket{$canary}[2m])))")
    s_p99=$(prom "histogram_quantile(0.99, sum by (le) (rate(${m}_bucket{$stable}[2m])))")
    echo "round $i/$rounds: canary ${c_rps} req/s, errors canary ${c_err} stable ${s_err}, p99 canary ${c_p99}s stable ${s_p99}s"
    # No requests yet (NaN or 0): nothing to judge this round.
    if ! awk -v r="$c_rps" 'BEGIN { exit !(r + 0 > 0) }'; then echo "  no search traffic on the canary yet"; continue; fi
    # Worse than stable by a margin (an empty ratio counts as 0): error ratio above max(2 x stable, 1 %), p99 above
    # max(1.5 x stable, stable + 100 ms).
    awk -v c="$c_err" -v s="$s_err" 'BEGIN { if (c == "NaN") c = 0; if (s == "NaN") s = 0;
      lim = (2 * s > 0.01) ? 2 * s : 0.01; if (c > lim) { printf "  canary error ratio %.4f > limit %.4f\n", c, lim; exit 1 } }' \
      || die "canary rejected: error ratio"
    awk -v c="$c_p99" -v s="$s_p99" 'BEGIN { if (c == "NaN") exit 0; if (s == "NaN") s = 0;
      lim = (1.5 * s > s + 0.1) ? 1.5 * s : s + 0.1; if (c > lim) { printf "  canary p99 %.3fs > limit %.3fs\n", c, lim; exit 1 } }' \
      || die "canary rejected: p99 latency"
    judged=$((judged + 1))
  done
  [ "$judged" -gt 0 ] || die "canary never received search traffic in $rounds minutes: nothing proves it works"
  echo "canary accepted after $judged judged round(s)"
}

cmd=${1:-}; shift || true
case "$cmd" in
  snapshot) snapshot "$@" ;;
  undo) undo "$@" ;;
  base-url) base_url "$@" ;;
  canary-up) canary_up "$@" ;;
  canary-check) canary_check "$@" ;;
  canary-down) canary_down "$@" ;;
  *) die "usage: stage.sh snapshot|undo|base-url|canary-up|canary-check|canary-down ..." ;;
esac
