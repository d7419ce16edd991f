-- wrk's script for bench/list_load.py: cycle through the paths of a file (its argument after
-- `--`), one a request, each of wrk's threads starting at another place; at the end print one
-- line the bench reads: requests, failures (socket errors and answers other than 2xx/3xx),
-- p50 and p95 latency and the run's duration, in microseconds.
local paths = {}
local next_one = 1
local threads = 0

function setup(thread)
  thread:set("id", threads)
  threads = threads + 1
end

function init(args)
  for line in io.lines(args[1]) do
    if #line > 0 then
      paths[#paths + 1] = line
    end
  end
  next_one = (id * 37) % #paths
end

function request()
  next_one = next_one % #paths + 1
  return wrk.format("GET", paths[next_one])
end

function done(summary, latency, requests)
  local errors = summary.errors
  local failures = errors.connect + errors.read + errors.write + errors.status + errors.timeout
  io.write(string.format("RESULT %d %d %d %d %d\n", summary.requests, failures,
    latency:percentile(50), latency:percentile(95), summary.duration))
end
