-- wrk script: POST the payload named by PAYLOAD with Segment's headers.
local f = assert(io.open(os.getenv("PAYLOAD"), "rb"))
wrk.body = f:read("*a"):gsub("%s+$", "")
f:close()
wrk.method = "POST"
wrk.headers["Authorization"] = "Basic c2VnbWVudDo="
wrk.headers["Content-Type"] = "application/json"
wrk.headers["User-Agent"] = "Segment.io/1.0"

done = function(summary, latency, requests)
  local errors = summary.errors.status + summary.errors.connect + summary.errors.read +
                 summary.errors.write + summary.errors.timeout
  io.write(string.format("RESULT rps=%.0f p50_us=%d p99_us=%d requests=%d errors=%d\n",
    summary.requests / (summary.duration / 1e6), latency:percentile(50),
    latency:percentile(99), summary.requests, errors))
end
