-- bench/serve/paced.lua: paths.lua at a set pace, for bench/serve/run.
--
--   (cd bench/serve && wrk ... -s paced.lua URL -- PATHS_FILE THREADS PAUSE_MS)
--
-- Each connection waits about PAUSE_MS (0.5 to 1.5 times, at random, so
-- connections drift apart) before each request (wrk's delay()), so C
-- connections ask about C * 1000 / (PAUSE_MS + latency) requests a second: a load below what the server can take, where the latency is
-- that of the work and not of the queue. A separate script because wrk
-- checks once, at start, whether a script has delay(); paths.lua without
-- one measures the server flat out.

dofile("paths.lua")

local base_init = init
local pause = 0

function init(args)
  base_init(args)
  pause = tonumber(args[3]) or 0
  math.randomseed(1000 + (tid or 0))
end

function delay()
  return math.floor(pause * (0.5 + math.random()))
end
