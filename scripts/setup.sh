#!/usr/bin/env bash
# `npm run setup`: install, as root on Debian/Ubuntu, what only the operating system provides for the tests,
# and start the local services the tests talk to when they are installed but stopped. `npm test` checks the
# same list first (scripts/check-tools.mjs) and names what is missing. Idempotent: when everything is there it
# installs nothing and finishes in about a second.
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive

# chromium: console tests in a headless browser; fonts-noto-cjk: Chinese names in pages Chromium draws;
# mosquitto, mosquitto-clients: tests start their own broker and publish with mosquitto_pub; postgresql-client:
# psql against the embedded database's wire server; python3-onnx: tests that build small ONNX models;
# redis-server: console scale-out tests (two nodes joined through Redis); openssl: the TLS tests' throw-away CA.
packages=(chromium fonts-noto-cjk mosquitto mosquitto-clients openssl postgresql-client python3-onnx redis-server)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ "${#missing[@]}" -gt 0 ]; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "setup: missing Debian packages: ${missing[*]}; run \`npm run setup\` as root (or: sudo apt-get install ${missing[*]})" >&2
    exit 1
  fi
  echo "setup: installing ${missing[*]}"
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# Services the tests talk to, on their standard ports. Machines of this project's kind start them before a
# session; start any that has stopped, with the same commands.
port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
# start PORT WHAT COMMAND...: run the command, then wait (10 s at most) until the port accepts connections.
start() {
  local port=$1 what=$2
  shift 2
  echo "setup: starting $what"
  "$@"
  for _ in $(seq 100); do port_open "$port" && return 0; sleep 0.1; done
  echo "setup: $what did not start listening within 10 s" >&2
  exit 1
}
port_open 1883 || start 1883 "Mosquitto on 127.0.0.1:1883" mosquitto -d -c /etc/mosquitto/mosquitto.conf
if ! port_open 5432; then
  if ! ls /etc/postgresql/*/main >/dev/null 2>&1; then
    echo "setup: the tests need a PostgreSQL server on 127.0.0.1:5432 that lets user postgres in without a password; none is installed" >&2
    exit 1
  fi
  start 5432 "PostgreSQL on 127.0.0.1:5432" pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | sort -V | tail -1)" main start
fi
if ! port_open 6379; then
  mkdir -p /var/lib/redis /var/log/redis
  start 6379 "Redis on 127.0.0.1:6379" redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save "" --appendonly no --dir /var/lib/redis --logfile /var/log/redis/ci.log
fi

node "$(dirname "$0")/check-tools.mjs"
