-- wrk script: every request comes from another client address (as many employers checking certificates
-- would), written by the trusted proxy into X-Forwarded-For, so per-address limits count as in real use.
local counter = 0

request = function()
  counter = counter + 1
  wrk.headers["X-Forwarded-For"] = string.format("10.%d.%d.%d", math.floor(counter / 65536) % 256,
                                                 math.floor(counter / 256) % 256, counter % 256)
  return wrk.format(nil)
end
