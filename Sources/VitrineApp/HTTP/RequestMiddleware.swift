import Foundation
import Hummingbird
import Logging
import Prometheus

/// Outermost middleware: request id header, access log, Prometheus metrics, and the JSON error
/// shape for every error (also those thrown by Hummingbird itself).
struct RequestMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext
    let metrics: HTTPMetrics

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        let start = ContinuousClock.now
        var response: Response
        do {
            response = try await next(request, context)
        } catch {
            guard let apiError = APIError.from(error) else {
                context.logger.error("request failed", metadata: ["error": "\(String(reflecting: type(of: error)))"])
                response = try APIError(
                    .internalServerError, code: "internal_error", message: "Something went wrong on our side."
                )
                .response(from: request, context: context)
                response.headers[.init("X-Request-Id")!] = context.id
                record(request, context: context, status: response.status, start: start)
                return response
            }
            response = try apiError.response(from: request, context: context)
        }
        response.headers[.init("X-Request-Id")!] = context.id
        record(request, context: context, status: response.status, start: start)
        return response
    }

    func record(_ request: Request, context: Context, status: HTTPResponse.Status, start: ContinuousClock.Instant) {
        let route = context.endpointPath ?? "unmatched"
        let elapsed = ContinuousClock.now - start
        metrics.record(method: request.method.rawValue, route: route, status: status.code, duration: elapsed)
        // The route template is logged, not the path: invitation links carry their token in the path.
        context.logger.info(
            "request",
            metadata: [
                "method": "\(request.method.rawValue)", "route": "\(route)", "status": "\(status.code)",
                "ms": "\(elapsed.components.seconds * 1000 + elapsed.components.attoseconds / 1_000_000_000_000_000)",
            ])
    }
}

/// Request counters and latency histograms in a registry owned by the application.
final class HTTPMetrics: Sendable {
    let registry: PrometheusCollectorRegistry

    init(registry: PrometheusCollectorRegistry) {
        self.registry = registry
    }

    func record(method: String, route: String, status: Int, duration: Duration) {
        let labels = [("method", method), ("route", route), ("status", String(status))]
        registry.makeCounter(
            descriptor: .init(
                namespace: "vitrine", subsystem: "http", metricName: "requests", unitName: "total",
                helpText: "HTTP requests answered"), labels: labels
        ).increment()
        if status >= 500 {
            registry.makeCounter(
                descriptor: .init(
                    namespace: "vitrine", subsystem: "http", metricName: "errors", unitName: "total",
                    helpText: "HTTP requests that failed with a server error"), labels: [("route", route)]
            ).increment()
        }
        registry.makeDurationHistogram(
            descriptor: .init(
                namespace: "vitrine", subsystem: "http", metricName: "request_duration", unitName: "seconds",
                helpText: "Time to answer HTTP requests"), labels: [("method", method), ("route", route)],
            buckets: [
                .milliseconds(5), .milliseconds(25), .milliseconds(100), .milliseconds(250), .milliseconds(1000),
                .seconds(5),
            ]
        ).record(duration)
    }
}
