-- wrk script for ./run: POSTs one request body (env BODY) over and over, with the MCP session headers when set
-- (env MCP_SESSION_ID, MCP_PROTOCOL_VERSION), checks every answer carries the echo (env EXPECT) and prints one
-- RESULT line that ./run parses. A JSON-RPC body's "id":0 is replaced per request by an id unique in the session
-- (thread number * 10^9 + count): connections share one session, and a server may not see one id twice in flight.
wrk.method = "POST"
local body = os.getenv("BODY")
local numbered = body:find('"id":0', 1, true) ~= nil
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Accept"] = "application/json, text/event-stream"
local sid = os.getenv("MCP_SESSION_ID")
if sid and sid ~= "" then wrk.headers["Mcp-Session-Id"] = sid end
local pv = os.getenv("MCP_PROTOCOL_VERSION")
if pv and pv ~= "" then wrk.headers["MCP-Protocol-Version"] = pv end
local expect = os.getenv("EXPECT") or ""

local threads = {}
function setup(thread)
    table.insert(threads, thread)
    thread:set("tid", #threads)
end
function init(args) good = 0; bad = 0; sample = ""; n = 0 end
function request()
    if not numbered then return wrk.format(nil, nil, nil, body) end
    n = n + 1
    local b = string.gsub(body, '"id":0', '"id":' .. string.format("%d", tid * 1000000000 + n), 1)
    return wrk.format(nil, nil, nil, b)
end
function response(status, headers, body)
    if status == 200 and body and body:find(expect, 1, true) then
        good = good + 1
    else
        bad = bad + 1
        if sample == "" then sample = tostring(status) .. " " .. string.sub(tostring(body), 1, 200) end
    end
end
function done(summary, latency, requests)
    local g, b, s = 0, 0, ""
    for _, t in ipairs(threads) do
        g = g + t:get("good"); b = b + t:get("bad")
        if s == "" then s = t:get("sample") or "" end
    end
    local e = summary.errors
    io.write(string.format("RESULT requests=%d duration_us=%d p50_us=%d p99_us=%d good=%d bad=%d socket_errors=%d\n",
        summary.requests, summary.duration, latency:percentile(50), latency:percentile(99), g, b,
        e.connect + e.read + e.write + e.timeout))
    if b > 0 then io.write("BAD_SAMPLE " .. string.gsub(s, "\n", " ") .. "\n") end
end
