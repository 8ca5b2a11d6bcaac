#!/usr/bin/env bash
# Alloy's image has bash but no HTTP client: ask its own /-/ready over bash's /dev/tcp.
set -eu
exec 3<>/dev/tcp/127.0.0.1/12345
printf 'GET /-/ready HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n' >&3
IFS= read -r -t 5 status <&3
case "$status" in
  "HTTP/1."?" 200"*) exit 0 ;;
  *) echo "alloy not ready: ${status:-no answer}"; exit 1 ;;
esac
