#!/usr/bin/env bash
# Checks the Jib `images` profile without a registry or a daemon: builds the six images with buildTar on a local
# stand-in base (an empty layer, since the real distroless base needs gcr.io), then reads each image's config and
# layers: entry point = java + the JVM flags + @/app/jib-classpath-file + the service's own main class, user
# 65532:65532, its port, the OCI labels, fixed creation time; the health probe class inside; and, for the gateway,
# that the image's class path starts the service and the probe answers (exit 0 on /health/live, 1 on a 404). A second build must
# give the same digest (reproducible). Needs Maven (Jib resolves from Maven Central once), java, python3, curl.
set -euo pipefail
cd "$(dirname "$0")/../.."
work=$(mktemp -d)
pids=()
trap 'for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$work"' EXIT

mkdir -p "$work/base/root/etc"
echo "nonroot:x:65532:65532:nonroot:/home/nonroot:/sbin/nologin" > "$work/base/root/etc/passwd"
tar -C "$work/base/root" -cf "$work/base/layer.tar" etc
sha=$(sha256sum "$work/base/layer.tar" | cut -d' ' -f1)
cat > "$work/base/config.json" <<JSON
{"architecture":"amd64","os":"linux","config":{"Env":["PATH=/usr/sbin:/usr/bin:/sbin:/bin"]},"rootfs":{"type":"layers","diff_ids":["sha256:$sha"]}}
JSON
echo '[{"Config":"config.json","RepoTags":["local/standin:1"],"Layers":["layer.tar"]}]' > "$work/base/manifest.json"
tar -C "$work/base" -cf "$work/base.tar" manifest.json config.json layer.tar

build() {
  mvn -B -q -Pimages -DskipTests -Dimage.goal=buildTar -Dimage.base="tar://$work/base.tar" -Djib.from.platforms=linux/amd64 \
    -Dimage.revision=verify -Dimage.tag=verify \
    -pl verticles/users,verticles/flights,verticles/hotels,verticles/cars,verticles/reviews,verticles/gateway -am clean package
}
build
declare -A digest
for s in users flights hotels cars reviews gateway; do digest[$s]=$(cat "verticles/$s/target/jib-image.digest"); done

declare -A main=([users]=UsersMain [flights]=FlightsMain [hotels]=HotelsMain [cars]=CarsMain [reviews]=ReviewsMain [gateway]=GatewayMain)
declare -A port=([users]=8081 [flights]=8082 [hotels]=8083 [cars]=8084 [reviews]=8085 [gateway]=8080)
for s in users flights hotels cars reviews gateway; do
  d="$work/$s"; mkdir -p "$d/rootfs"
  tar -C "$d" -xf "verticles/$s/target/jib-image.tar"
  python3 - "$d" "$s" "${main[$s]}" "${port[$s]}" <<'PY'
import json, sys
d, s, main, port = sys.argv[1:]
m = json.load(open(f"{d}/manifest.json"))[0]
c = json.load(open(f"{d}/{m['Config']}"))
cfg = c["config"]
want = ["java", "-XX:MaxRAMPercentage=75", "-XX:+ExitOnOutOfMemoryError", "-cp", "@/app/jib-classpath-file", f"dev.tarifa.{s}.{main}"]
assert cfg["Entrypoint"] == want, cfg["Entrypoint"]
assert cfg["User"] == "65532:65532", cfg["User"]
assert list(cfg["ExposedPorts"]) == [f"{port}/tcp"], cfg["ExposedPorts"]
labels = cfg["Labels"]
for k in ["source", "revision", "version", "title", "licenses", "description", "base.name"]:
    assert f"org.opencontainers.image.{k}" in labels, k
assert labels["org.opencontainers.image.title"] == f"tarifa-{s}"
assert c["created"] == "1970-01-01T00:00:00Z", c["created"]
assert m["RepoTags"] == [f"ghcr.io/tarifa-dev/tarifa-{s}:verify"], m["RepoTags"]
print(f"{s}: entrypoint, user, port {port}, labels, creation time ok")
PY
  for l in $(python3 -c "import json,sys; print(' '.join(json.load(open(sys.argv[1]))[0]['Layers']))" "$d/manifest.json"); do
    tar -xzf "$d/$l" -C "$d/rootfs" 2>/dev/null
  done
  # grep reads everything (no -q): an early exit would SIGPIPE unzip and fail the pipeline
  unzip -l "$d"/rootfs/app/libs/tarifa-shared-*.jar | grep 'dev/tarifa/shared/health/HealthCheck.class' > /dev/null \
    || { echo "$s: the health probe is missing from the image" >&2; exit 1; }
done

# the gateway from its image's class path (paths re-rooted), and the probe against it
d="$work/gateway"
sed "s#/app/#$d/rootfs/app/#g" "$d/rootfs/app/jib-classpath-file" > "$d/cp.txt"
TARIFA_GATEWAY_PORT=18290 TARIFA_USERS_URL=http://127.0.0.1:1 TARIFA_FLIGHTS_URL=http://127.0.0.1:1 \
  TARIFA_HOTELS_URL=http://127.0.0.1:1 TARIFA_CARS_URL=http://127.0.0.1:1 TARIFA_REVIEWS_URL=http://127.0.0.1:1 \
  java -XX:MaxRAMPercentage=75 -cp "@$d/cp.txt" "$(cat "$d/rootfs/app/jib-main-class-file")" > "$d/run.log" 2>&1 &
pids+=($!)
for _ in $(seq 1 60); do curl -fs -o /dev/null http://127.0.0.1:18290/health/live && break; sleep 1; done
java -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Xmx24m -cp "@$d/cp.txt" dev.tarifa.shared.health.HealthCheck http://127.0.0.1:18290/health/live
if java -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Xmx24m -cp "@$d/cp.txt" dev.tarifa.shared.health.HealthCheck http://127.0.0.1:18290/no-such-path; then
  echo "the probe said healthy on a 404" >&2; exit 1
fi

build
for s in users flights hotels cars reviews gateway; do
  [ "$(cat "verticles/$s/target/jib-image.digest")" = "${digest[$s]}" ] || { echo "$s: digest changed between two builds" >&2; exit 1; }
done
echo "all six images: same digests on a second build (reproducible)"
