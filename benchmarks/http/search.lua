-- wrk script: GET /v1/search with a rotating set of queries typed the way users type them.
-- Usage: LABSEARCH_KEY=... wrk -t1 -c16 -d20s -s benchmarks/http/search.lua http://127.0.0.1:8080
local queries = {
  "dup", "dupont", "martin", "jean dupont", "edf", "electricite de france", "l'oreal", "loreal",
  "saint etienne", "lefebre", "06 12 34 56 78", "5678", "traiteur lyon", "séminaire", "ma",
  "m", "chateau", "paris", "marie", "PRD-00123", "EV-2025-00042", "sncf", "bnp paribas", "gala",
}
local key = os.getenv("LABSEARCH_KEY") or ""
local i = 0
local function urlencode(s)
  return (s:gsub("[^%w%-_%.~]", function(c) return string.format("%%%02X", string.byte(c)) end))
end
request = function()
  i = i + 1
  local q = queries[(i % #queries) + 1]
  return wrk.format("GET", "/v1/search?q=" .. urlencode(q) .. "&limit=5", { ["Authorization"] = "Bearer " .. key })
end
