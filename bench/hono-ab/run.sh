#!/usr/bin/env bash
# A/B of the Hono fast path: tessera's adapter ("early": headers go into Hono's prepared headers when the
# handler builds its response) against the same engine committed after next() with c.header() ("late":
# the adapter before the fast path). Server on core 1, wrk on core 0, 2 rounds; prints req/s and the
# server's CPU time per request. Run from the repository root: bash bench/hono-ab/run.sh
set -euo pipefail
ticks() { awk '{print $14+$15}' "/proc/$1/stat"; }
pidfile=$(mktemp)
for round in 1 2; do
  for mode in early late; do
    (taskset -c 1 node --conditions=tessera-session-source --import tsx bench/hono-ab/app.ts "$mode" & echo $! > "$pidfile"; wait) &
    sleep 2
    pid=$(cat "$pidfile")
    cookie=$(curl -si localhost:3999/setup | grep -i '^set-cookie' | sed 's/^[^:]*: //; s/;.*//')
    for path in /read /write; do taskset -c 0 wrk -t1 -c50 -d2s -H "Cookie: $cookie" "http://127.0.0.1:3999$path" >/dev/null; done
    line="round $round $mode"
    for path in /read /write; do
      t0=$(ticks "$pid")
      out=$(taskset -c 0 wrk -t1 -c50 -d3s -H "Cookie: $cookie" "http://127.0.0.1:3999$path")
      t1=$(ticks "$pid")
      n=$(echo "$out" | awk '/requests in/ {print $1}')
      rps=$(echo "$out" | awk '/Requests\/sec/ {print $2}')
      # /proc ticks are 10 ms: ticks * 10000 / requests = microseconds per request.
      line="$line | $path ${rps%.*} req/s, CPU $(((t1 - t0) * 10000 / n)) us/req"
    done
    echo "$line"
    kill "$pid"
    sleep 0.5
  done
done
rm -f "$pidfile"
