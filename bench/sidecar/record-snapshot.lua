-- wrk script: POST a new environment snapshot per request (unique ids per thread).
-- The token comes from the environment, so it never shows on a command line.
local threads = {}
local next_id = 0

function setup(thread)
  thread:set("tid", next_id)
  next_id = next_id + 1
  table.insert(threads, thread)
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
    '{"id":"snap-%s-%d-%d","notebook":"bench-%d.ipynb","time":"2024-05-01T10:00:00Z",'
    .. '"java":{"version":"17.0.15","vendor":"Debian","vm":"OpenJDK 64-Bit Server VM"},"os":{"name":"Linux","arch":"amd64"},'
    .. '"jars":["tablesaw-core-0.43.1.jar","xchart-3.8.8.jar","parquet-hadoop-1.14.1.jar"],"kiln":"0.1.0"}',
    run, tid, counter, counter % 20)
  return wrk.format("POST", "/api/snapshots", headers, body)
end

function response(status, headers, body)
  if status ~= 201 then
    io.stderr:write("unexpected status " .. status .. ": " .. body .. "\n")
  end
end
