# Shell functions the peer comparison (peers/run) and the memory benchmark (memory/run) share: wrk itself, opening an
# MCP session with curl, and driving `tools/call` with wrk and call.lua. Sourced, not run; the caller defines
# log and die, and sets PV (the protocol version) and work (a scratch directory).

mcp_wrk_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"

# need_wrk: wrk on the PATH, installed with apt-get when running as root
need_wrk() {
  if ! command -v wrk >/dev/null; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
      log "installing wrk with apt-get ..."
      apt-get install -y -q wrk >/dev/null 2>&1 \
        || { apt-get update -q >/dev/null && apt-get install -y -q wrk >/dev/null; }
    fi
    command -v wrk >/dev/null \
      || die "wrk is needed (https://github.com/wg/wrk; Debian/Ubuntu: sudo apt-get install wrk)"
  fi
}

# open_session URL CLIENT: initialize + notifications/initialized, retried for up to 60 s while the server starts;
# sets $sid (empty when the server keeps no sessions); fails when no server answered
open_session() {
  local url="$1" hdr="$work/init.headers" i
  local init='{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"'$PV'","capabilities":{},'
  init+='"clientInfo":{"name":"'$2'","version":"1"}}}'
  for i in $(seq 1 120); do
    if curl -sf -o "$work/init.body" -D "$hdr" -X POST "$url" -H 'Content-Type: application/json' \
         -H 'Accept: application/json, text/event-stream' --data "$init" 2>/dev/null \
       && grep -q '"protocolVersion"' "$work/init.body"; then
      sid=$(tr -d '\r' <"$hdr" | sed -n 's/^[Mm][Cc][Pp]-[Ss][Ee][Ss][Ss][Ii][Oo][Nn]-[Ii][Dd]: *//p' | head -n 1)
      curl -s -o /dev/null -X POST "$url" -H 'Content-Type: application/json' \
        -H 'Accept: application/json, text/event-stream' -H "MCP-Protocol-Version: $PV" \
        ${sid:+-H "Mcp-Session-Id: $sid"} --data '{"jsonrpc":"2.0","method":"notifications/initialized"}'
      return 0
    fi
    sleep 0.5
  done
  return 1
}

# wrk_calls SECONDS THREADS CONNECTIONS URL BODY SID EXPECT: wrk POSTing BODY in the session, each request with its
# own JSON-RPC id, counting answers that contain EXPECT; prints wrk's output with call.lua's RESULT line
wrk_calls() {
  BODY="$5" MCP_SESSION_ID="$6" MCP_PROTOCOL_VERSION="$PV" EXPECT="$7" \
    wrk -t"$2" -c"$3" -d"$1s" --timeout 2s -s "$mcp_wrk_dir/call.lua" "$4" 2>&1
}
