-- wrk script for tests/bench/bench.py: POSTs the chat-completion body read
-- from the file given as the script argument, and prints one machine-readable
-- result line (exact microseconds, no unit parsing).
--   wrk -t1 -c8 -d2s -s post.lua http://127.0.0.1:PORT/v1/chat/completions -- BODY_FILE

function init(args)
  local f = assert(io.open(args[1], "rb"))
  wrk.body = f:read("*a")
  f:close()
  wrk.method = "POST"
  wrk.headers["content-type"] = "application/json"
  wrk.headers["x-user-id"] = "bench-user"
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'BENCH {"requests":%d,"duration_us":%d,"p50_us":%d,"p99_us":%d,' ..
    '"status_errors":%d,"connect":%d,"read":%d,"write":%d,"timeout":%d}\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(99),
    e.status, e.connect, e.read, e.write, e.timeout))
end
