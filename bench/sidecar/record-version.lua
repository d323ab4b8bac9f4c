-- wrk script: POST a new dataset version with lineage per request (a transaction: version + lineage rows).
local next_id = 0

function setup(thread)
  thread:set("tid", next_id)
  next_id = next_id + 1
end

function init(args)
  counter = 0
  run = os.getenv("BENCH_RUN") or "r"
  headers = { ["Authorization"] = "Bearer " .. os.getenv("KILN_SIDECAR_TOKEN"),
              ["Content-Type"] = "application/json" }
end

function request()
  counter = counter + 1
  local body = string.format(
    '{"dataset":"bench-%d","id":"v-%s-%d-%d","parent":null,"manifest":"sha256:0123456789abcdef","size":%d,"files":3,'
    .. '"rows":%d,"message":"benchmark version","author":"wrk","time":"2024-05-%02dT10:%02d:%02dZ",'
    .. '"lineage":[{"dataset":"raw","version":"r1"},{"dataset":"stations","version":"s7"}]}',
    counter % 10, run, tid, counter, 1000000 + counter * 37, 5000 + counter, 1 + counter % 28, counter % 60, tid % 60)
  return wrk.format("POST", "/api/versions", headers, body)
end

function response(status, headers, body)
  if status ~= 201 then
    io.stderr:write("unexpected status " .. status .. ": " .. body .. "\n")
  end
end
