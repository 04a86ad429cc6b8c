-- wrk script: GET /v1/search with a rotating set of queries typed the way users type them.
-- Usage: LABSEARCH_KEY=... wrk -t1 -c16 -d20s --latency -s benchmarks/http/search.lua http://127.0.0.1:8080
-- LABSEARCH_QUERIES=FILE: one query per line (benchmarks/http/run_http.py writes the
-- benchmark's query sets there); LABSEARCH_LIMIT: hits per group (default 5, the search bar's).
local queries = {
  "dup", "dupont", "martin", "jean dupont", "edf", "electricite de france", "l'oreal", "loreal",
  "saint etienne", "lefebre", "06 12 34 56 78", "5678", "traiteur lyon", "séminaire", "ma",
  "m", "chateau", "paris", "marie", "PRD-00123", "EV-2025-00042", "sncf", "bnp paribas", "gala",
}
local file = os.getenv("LABSEARCH_QUERIES")
if file and #file > 0 then
  queries = {}
  for line in io.lines(file) do
    if #line > 0 then table.insert(queries, line) end
  end
end
local key = os.getenv("LABSEARCH_KEY") or ""
local limit = os.getenv("LABSEARCH_LIMIT") or "5"
local i = 0
local function urlencode(s)
  return (s:gsub("[^%w%-_%.~]", function(c) return string.format("%%%02X", string.byte(c)) end))
end
local paths = {}
for n, q in ipairs(queries) do paths[n] = "/v1/search?q=" .. urlencode(q) .. "&limit=" .. limit end
local headers = { ["Authorization"] = "Bearer " .. key }
-- Threads start at different places of the list (wrk runs each thread in its own Lua state).
local threads = 0
setup = function(thread)
  thread:set("offset", threads * 7919)
  threads = threads + 1
end
init = function(args)
  i = offset or 0
end
request = function()
  i = i + 1
  return wrk.format("GET", paths[(i % #paths) + 1], headers)
end
