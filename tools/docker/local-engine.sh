#!/usr/bin/env bash
# A Docker engine for the Keras container route (tools/keras/Dockerfile, KerasContainerExporter, KerasParityCheck)
# on a Linux machine that reaches neither Docker Hub nor PyPI from inside containers: CI here, an air-gapped or
# proxied build machine. Debian's packages and PyPI must be reachable from the host.
#
#   eval "$(tools/docker/local-engine.sh start)"    engine, base image, wheelhouse; prints the environment to use
#   tools/docker/local-engine.sh env                 prints that environment again (for another shell)
#   tools/docker/local-engine.sh stop                stops the daemon that `start` started (nothing else)
#
# start, step by step (each step is skipped when its result is already there):
#   1. when no engine answers: installs docker.io (Debian) if dockerd is missing and starts dockerd as root on its
#      own socket and storage ($state/docker.sock, /var/lib/lstm4j-docker: other builds on the machine that probe
#      /var/run/docker.sock do not see it), without a bridge or iptables rules (--bridge=none --iptables=false):
#      it touches no network of the host, and containers get network mode none;
#   2. the base image lstm4j/debian-python:3.11-bookworm: Debian 12's root file system (debootstrap, minbase,
#      python3 3.11 + pip + python-is-python3) loaded with `docker import`; the tar is cached, so a new engine
#      re-imports it in seconds;
#   3. the wheelhouse: every wheel tools/keras/requirements.txt needs for CPython 3.11 on manylinux x86_64,
#      fetched on the host with `pip download` (about 410 MB);
# It prints (stdout; progress goes to stderr) the variables Testcontainers and lstm4j read. Testcontainers 2.0.5
# reads the two settings it needs here only from the environment, so no ~/.testcontainers.properties entry is
# written (its "tiny image", alpine, is not used by lstm4j's containers: checked with the engine this starts).
#   DOCKER_HOST=unix://$state/docker.sock   only when it started the engine
#   TESTCONTAINERS_RYUK_DISABLED=true       Ryuk's image would come from Docker Hub; containers are removed by lstm4j
#   TESTCONTAINERS_HOST_OVERRIDE=localhost  without it Testcontainers looks for the missing bridge network
#   LSTM4J_KERAS_BASE_IMAGE, LSTM4J_KERAS_WHEELHOUSE   the exporter builds its image from these, offline
# Caches: $LSTM4J_CACHE, else ${XDG_CACHE_HOME:-~/.cache}/lstm4j (outside the repository). Daemon state and log:
# $LSTM4J_DOCKER_STATE, else /run/lstm4j-docker. Debian mirror: $LSTM4J_DEBIAN_MIRROR, else deb.debian.org.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cache="${LSTM4J_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/lstm4j}"
state="${LSTM4J_DOCKER_STATE:-/run/lstm4j-docker}"
mirror="${LSTM4J_DEBIAN_MIRROR:-http://deb.debian.org/debian}"
socket="$state/docker.sock"
requirements="$root/tools/keras/requirements.txt"
# Debian 12 (bookworm) ships Python 3.11, the version the Keras environment is pinned with; Debian 13 ships 3.13.
suite=bookworm
base_image="lstm4j/debian-python:3.11-$suite"
rootfs_tar="$cache/docker/debian-$suite-python3.11.tar"
wheelhouse="$cache/keras-wheels/cp311-manylinux_x86_64-$(sha256sum "$requirements" | cut -c1-12)"

say() { echo "local-engine: $*" >&2; }
die() { say "$*"; exit 1; }
now() { date +%s; }
timed() { # timed LABEL COMMAND...: runs COMMAND, then reports how long it took
  local label="$1" t0; shift
  t0="$(now)"
  "$@"
  say "$label: $(( $(now) - t0 )) s"
}

engine_answers() { command -v docker >/dev/null && timeout 10 docker info >/dev/null 2>&1; }
ours_running() { local pid; pid="$(cat "$state/dockerd.pid" 2>/dev/null)" && kill -0 "$pid" 2>/dev/null; }

apt_install() {
  [ "$(id -u)" = 0 ] || die "installing $* needs root (or install it yourself)"
  export DEBIAN_FRONTEND=noninteractive
  # stale or missing package lists: refresh once and retry
  apt-get install -y -qq "$@" >&2 || { apt-get update -qq >&2 && apt-get install -y -qq "$@" >&2; }
}

start_engine() {
  if ours_running; then
    export DOCKER_HOST="unix://$socket"
    engine_answers && { say "the dockerd started earlier answers on $socket"; return; }
    die "the dockerd started earlier (pid $(cat "$state/dockerd.pid")) does not answer on $socket; run $0 stop"
  fi
  if engine_answers; then
    say "a Docker engine answers already ($(docker info --format '{{.ServerVersion}}' 2>/dev/null)); using it"
    return
  fi
  [ "$(id -u)" = 0 ] || die "no Docker engine answers, and starting dockerd needs root"
  command -v dockerd >/dev/null || timed "installed docker.io" apt_install docker.io
  mkdir -p "$state"
  say "starting dockerd (log: $state/dockerd.log)"
  # setsid: the daemon outlives this script (stop ends it); its own pid file is ours to read.
  setsid dockerd --host "unix://$socket" --data-root /var/lib/lstm4j-docker --exec-root "$state/exec" \
    --pidfile "$state/dockerd.pid" --bridge=none --iptables=false --ip-masq=false \
    > "$state/dockerd.log" 2>&1 < /dev/null &
  export DOCKER_HOST="unix://$socket"
  local i
  for i in $(seq 1 60); do
    engine_answers && return
    kill -0 $! 2>/dev/null || { tail -20 "$state/dockerd.log" >&2; die "dockerd exited while starting"; }
    sleep 1
  done
  tail -20 "$state/dockerd.log" >&2
  die "dockerd did not answer within 60 s"
}

make_rootfs_tar() {
  command -v debootstrap >/dev/null || timed "installed debootstrap" apt_install debootstrap
  local tmp
  tmp="$(mktemp -d /var/tmp/lstm4j-rootfs.XXXXXX)"
  say "debootstrap $suite (minbase + python3, python3-pip, python-is-python3) from $mirror"
  if ! debootstrap --variant=minbase --include=python3,python3-pip,python-is-python3 "$suite" "$tmp/root" "$mirror" \
      > "$tmp/debootstrap.log" 2>&1; then
    tail -20 "$tmp/debootstrap.log" >&2
    rm -rf "$tmp"
    die "debootstrap failed"
  fi
  # What a python:3.11-slim image does not carry either: package caches and lists. Debian marks its Python
  # "externally managed" (PEP 668); this image exists to pip-install one pinned environment, so the mark goes.
  rm -rf "$tmp/root/var/cache/apt/archives/"*.deb "$tmp/root/var/lib/apt/lists/"* \
    "$tmp/root/usr/lib/python3."*/EXTERNALLY-MANAGED
  mkdir -p "$(dirname "$rootfs_tar")"
  tar -C "$tmp/root" -cf "$rootfs_tar.part" . && mv "$rootfs_tar.part" "$rootfs_tar"
  rm -rf "$tmp"
}

base_image() {
  if docker image inspect "$base_image" >/dev/null 2>&1; then
    say "base image $base_image is there"
    return
  fi
  [ -f "$rootfs_tar" ] || timed "built the Debian root file system ($rootfs_tar)" make_rootfs_tar
  timed "imported $base_image" docker import -m "Debian $suite minbase + python3 (tools/docker/local-engine.sh)" \
    -c 'CMD ["python"]' "$rootfs_tar" "$base_image" >/dev/null
}

fill_wheelhouse() {
  if [ -f "$wheelhouse/.complete" ]; then
    say "wheelhouse $wheelhouse is there ($(find "$wheelhouse" -name '*.whl' | wc -l) wheels)"
    return
  fi
  command -v python3 >/dev/null && python3 -m pip --version >/dev/null 2>&1 || apt_install python3-pip
  # Wheels for the image's Python (CPython 3.11, glibc 2.36), whatever Python the host runs: --only-binary with
  # explicit tags. pip expands manylinux2014 to the older aliases but not manylinux_2_X, so those are listed.
  local platforms=(--platform manylinux2014_x86_64) v
  for v in $(seq 17 36); do platforms+=(--platform "manylinux_2_${v}_x86_64"); done
  rm -rf "$wheelhouse.part"
  mkdir -p "$wheelhouse.part"
  say "pip download of ${requirements#"$root"/} into $wheelhouse"
  python3 -m pip download -q --no-cache-dir --disable-pip-version-check --dest "$wheelhouse.part" \
    --only-binary=:all: --implementation cp --python-version 3.11 --abi cp311 --abi abi3 --abi none \
    "${platforms[@]}" --platform linux_x86_64 -r "$requirements" >&2
  touch "$wheelhouse.part/.complete"
  rm -rf "$wheelhouse"
  mv "$wheelhouse.part" "$wheelhouse"
}

print_env() {
  ours_running && export DOCKER_HOST="unix://$socket" && echo "export DOCKER_HOST=$DOCKER_HOST"
  echo "export TESTCONTAINERS_RYUK_DISABLED=true"
  case "${DOCKER_HOST:-unix://}" in unix://*) echo "export TESTCONTAINERS_HOST_OVERRIDE=localhost" ;; esac
  echo "export LSTM4J_KERAS_BASE_IMAGE=$base_image"
  echo "export LSTM4J_KERAS_WHEELHOUSE=$wheelhouse"
}

stop_engine() {
  local pid
  pid="$(cat "$state/dockerd.pid" 2>/dev/null || true)"
  if ! ours_running; then
    say "no dockerd started by this script is running"
    rm -f "$state/dockerd.pid"
    return
  fi
  [ "$(cat "/proc/$pid/comm" 2>/dev/null)" = dockerd ] || die "pid $pid in $state/dockerd.pid is not dockerd; not stopping it"
  say "stopping dockerd (pid $pid); it stops its containers and its containerd"
  kill -TERM "$pid"
  local i
  for i in $(seq 1 60); do
    kill -0 "$pid" 2>/dev/null || { say "dockerd stopped"; rm -f "$state/dockerd.pid"; return; }
    sleep 1
  done
  say "dockerd (pid $pid) did not stop within 60 s; killing it"
  kill -KILL "$pid" 2>/dev/null || true
  rm -f "$state/dockerd.pid"
}

case "${1:-}" in
  start)
    t0="$(now)"
    timed "engine" start_engine
    timed "base image" base_image
    timed "wheelhouse" fill_wheelhouse
    say "ready in $(( $(now) - t0 )) s"
    print_env
    ;;
  env) print_env ;;
  stop) stop_engine ;;
  *) echo "usage: $0 start|env|stop   (eval \"\$($0 start)\" sets the environment it prints)" >&2; exit 2 ;;
esac
