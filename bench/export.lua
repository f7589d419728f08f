-- wrk script: POST the export document's sample body to the export URL.
--
-- BENCH_CASE=valid (default) sends the sample body; BENCH_CASE=missing-secret
-- drops obsParameters.secretKey, which every server must answer with a 4xx.
-- BENCH_STOP_AFTER=N makes each wrk thread stop after N responses (used for
-- the bounded-memory runs; it costs wrk a little CPU per response).
-- The summary is printed as one JSON line that bench/run.py parses.

local bodies = {
  ["valid"] = '{"exportPath": "demo_movie/", "fileName": "louvain", '
    .. '"obsParameters": {"accessKey": "xxxx", "secretKey": "xxxx"}}',
  ["missing-secret"] = '{"exportPath": "demo_movie/", "fileName": "louvain", '
    .. '"obsParameters": {"accessKey": "xxxx"}}',
}

local case = os.getenv("BENCH_CASE") or "valid"
wrk.method = "POST"
wrk.body = assert(bodies[case], "unknown BENCH_CASE " .. case)
wrk.headers["Content-Type"] = "application/json"
wrk.headers["X-Auth-Token"] = "bench-token"

local stop_after = tonumber(os.getenv("BENCH_STOP_AFTER") or "0")
if stop_after > 0 then
  local seen = 0
  response = function(status, headers, body)
    seen = seen + 1
    if seen >= stop_after then
      wrk.thread:stop()
    end
  end
end

done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    '{"requests": %d, "duration_us": %d, "bytes": %d, "non_2xx": %d, '
      .. '"connect_errors": %d, "read_errors": %d, "write_errors": %d, '
      .. '"timeouts": %d, "p50_us": %d, "p99_us": %d, "max_us": %d}\n',
    summary.requests, summary.duration, summary.bytes, e.status,
    e.connect, e.read, e.write, e.timeout,
    latency:percentile(50), latency:percentile(99), latency.max))
end
