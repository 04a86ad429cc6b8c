import Foundation

/// Request counts and latency histograms for `/metrics`, in Prometheus text format.
///
/// Series are labelled by method, route pattern (`/v1/clients/{id}`, never the raw path, so
/// record ids cannot blow up the series count) and status; never by tenant. Unmatched paths
/// share the route label `unmatched`.
final class ServerMetrics: @unchecked Sendable {
    /// Latency bucket bounds in seconds.
    static let buckets: [Double] = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10]

    private struct CountKey: Hashable { var method: String; var route: String; var status: Int }
    private struct RouteKey: Hashable { var method: String; var route: String }
    private struct Histogram {
        var counts = [Int](repeating: 0, count: ServerMetrics.buckets.count)
        var sum: Double = 0
        var count = 0
    }

    private let lock = NSLock()
    private var counts: [CountKey: Int] = [:]
    private var histograms: [RouteKey: Histogram] = [:]
    private var inFlight = 0

    func started() {
        lock.lock(); inFlight += 1; lock.unlock()
    }

    func finished(method: String, route: String, status: Int, seconds: Double) {
        lock.lock(); defer { lock.unlock() }
        inFlight -= 1
        counts[CountKey(method: method, route: route, status: status), default: 0] += 1
        var h = histograms[RouteKey(method: method, route: route)] ?? Histogram()
        if let i = Self.buckets.firstIndex(where: { seconds <= $0 }) { h.counts[i] += 1 }
        h.sum += seconds
        h.count += 1
        histograms[RouteKey(method: method, route: route)] = h
    }

    /// Engine-wide gauges computed at scrape time.
    struct Gauges {
        var tenantsOpen = 0
        var indexLagTotal: Int64 = 0
        var indexLagMax: Int64 = 0
        var documents = 0
        var poolQueueDepth = 0
        var poolBusy = 0
        var poolThreads = 0
    }

    func render(_ g: Gauges) -> String {
        lock.lock()
        let counts = self.counts
        let histograms = self.histograms
        let inFlight = self.inFlight
        lock.unlock()

        var out = ""
        out += "# HELP labsearch_http_requests_total HTTP requests answered, by method, route pattern and status.\n"
        out += "# TYPE labsearch_http_requests_total counter\n"
        for (k, v) in counts.sorted(by: { ($0.key.route, $0.key.method, $0.key.status) < ($1.key.route, $1.key.method, $1.key.status) }) {
            out += "labsearch_http_requests_total{method=\"\(k.method)\",route=\"\(Self.escape(k.route))\",status=\"\(k.status)\"} \(v)\n"
        }
        out += "# HELP labsearch_http_request_duration_seconds Time to answer HTTP requests, by method and route pattern.\n"
        out += "# TYPE labsearch_http_request_duration_seconds histogram\n"
        for (k, h) in histograms.sorted(by: { ($0.key.route, $0.key.method) < ($1.key.route, $1.key.method) }) {
            let labels = "method=\"\(k.method)\",route=\"\(Self.escape(k.route))\""
            var cumulative = 0
            for (i, bound) in Self.buckets.enumerated() {
                cumulative += h.counts[i]
                out += "labsearch_http_request_duration_seconds_bucket{\(labels),le=\"\(Self.format(bound))\"} \(cumulative)\n"
            }
            out += "labsearch_http_request_duration_seconds_bucket{\(labels),le=\"+Inf\"} \(h.count)\n"
            out += "labsearch_http_request_duration_seconds_sum{\(labels)} \(Self.format(h.sum))\n"
            out += "labsearch_http_request_duration_seconds_count{\(labels)} \(h.count)\n"
        }
        func gauge(_ name: String, _ help: String, _ value: String) {
            out += "# HELP \(name) \(help)\n# TYPE \(name) gauge\n\(name) \(value)\n"
        }
        gauge("labsearch_http_requests_in_flight", "HTTP requests being answered.", "\(inFlight)")
        gauge("labsearch_tenants_open", "Tenants opened by this server.", "\(g.tenantsOpen)")
        gauge("labsearch_index_lag_changes", "Changes written to the stores and not yet applied to the indexes, summed over open tenants.", "\(g.indexLagTotal)")
        gauge("labsearch_index_lag_max_changes", "Largest index lag of one open tenant, in changes.", "\(g.indexLagMax)")
        gauge("labsearch_index_documents", "Documents in the indexes of open tenants.", "\(g.documents)")
        gauge("labsearch_blocking_pool_threads", "Threads running blocking engine work.", "\(g.poolThreads)")
        gauge("labsearch_blocking_pool_busy", "Blocking-pool threads busy now.", "\(g.poolBusy)")
        gauge("labsearch_blocking_pool_queue_depth", "Blocking jobs waiting for a thread.", "\(g.poolQueueDepth)")
        return out
    }

    static func escape(_ s: String) -> String {
        s.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"").replacingOccurrences(of: "\n", with: "\\n")
    }

    static func format(_ d: Double) -> String {
        if d == d.rounded(), abs(d) < 1e15 { return String(Int64(d)) }
        return String(d)
    }
}
