-- bench/serve/paths.lua: the wrk script of bench/serve/run.
--
--   wrk -t THREADS ... -s paths.lua http://127.0.0.1:PORT -- PATHS_FILE THREADS
--
-- Each thread sends the request paths of PATHS_FILE (one a line, e.g.
-- /api/search?q=...) in turn, the threads starting evenly apart in the
-- list, so the mix is the same whatever the thread count and two threads
-- rarely ask the same path at once. Headers (the session
-- cookie) come from wrk's -H. At the end it prints one line the run
-- script reads: requests, seconds, errors, and latency percentiles in
-- microseconds from wrk's own histogram (recorded to the microsecond),
-- so they are exact rather than read back from wrk's rounded text.

local paths = {}
local threads = {}
local counter = 0

function setup(thread)
  thread:set("tid", #threads)
  table.insert(threads, thread)
end

function init(args)
  local f = assert(io.open(args[1], "r"))
  for line in f:lines() do
    if #line > 0 then table.insert(paths, line) end
  end
  f:close()
  assert(#paths > 0, "no paths in " .. args[1])
  local threads_n = tonumber(args[2]) or 1
  counter = (tid or 0) * math.floor(#paths / threads_n)
end

function request()
  counter = counter + 1
  return wrk.format("GET", paths[(counter % #paths) + 1])
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    "MWBENCH requests=%d duration_us=%d bytes=%d connect=%d read=%d " ..
    "write=%d status=%d timeout=%d p50=%d p90=%d p99=%d max=%d mean=%.0f\n",
    summary.requests, summary.duration, summary.bytes, e.connect, e.read,
    e.write, e.status, e.timeout, latency:percentile(50),
    latency:percentile(90), latency:percentile(99), latency.max,
    latency.mean))
end
