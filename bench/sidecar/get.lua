-- wrk script: GET with the sidecar's token (the path is wrk's URL).
function init(args)
  headers = { ["Authorization"] = "Bearer " .. os.getenv("KILN_SIDECAR_TOKEN") }
end

function request()
  return wrk.format("GET", nil, headers)
end

function response(status, headers, body)
  if status ~= 200 then
    io.stderr:write("unexpected status " .. status .. "\n")
  end
end
