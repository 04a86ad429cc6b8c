-- wrk script: GET one authenticated path (LABSEARCH_PATH, default /v1/index/status) with the
-- bearer key LABSEARCH_KEY: the cost of authentication and routing with almost no work.
local key = os.getenv("LABSEARCH_KEY") or ""
local path = os.getenv("LABSEARCH_PATH") or "/v1/index/status"
local headers = { ["Authorization"] = "Bearer " .. key }
request = function()
  return wrk.format("GET", path, headers)
end
