import Foundation
import Logging
import ServiceLifecycle
import VitrineStore

/// What runs a kind of job. Handlers must be idempotent: a job whose worker died mid-way runs again.
public typealias JobHandler = @Sendable (Job) async throws -> Void

/// Runs the durable jobs of the database (reminders, e-mails, webhooks): claims due jobs under a
/// lease, runs their handlers, retries failures with exponential backoff. Any number of runners,
/// on any number of nodes, share one table.
public struct JobRunner: Service {
    let store: Store
    let handlers: [String: JobHandler]
    let worker: String
    let logger: Logger
    /// A batch must finish within its lease: 5 jobs × at most 60 s each (the mailer's limit) < 600 s.
    var lease: TimeInterval = 600
    var batch = 5
    var poll: Duration = .seconds(1)
    /// First retry after this many seconds, doubling each time, at most an hour apart.
    var backoff: TimeInterval = 30

    public init(
        store: Store, handlers: [String: JobHandler], logger: Logger, worker: String? = nil, backoff: TimeInterval = 30
    ) {
        self.store = store
        self.backoff = backoff
        self.handlers = handlers
        self.logger = logger
        self.worker =
            worker
            ?? "\(ProcessInfo.processInfo.hostName)-\(ProcessInfo.processInfo.processIdentifier)-\(UUID().uuidString.prefix(8))"
    }

    public func run() async throws {
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                let ran = await runOnce()
                if ran == 0 { try? await Task.sleep(for: poll) }
            }
        }
    }

    /// Claims one batch and runs it; returns how many jobs ran.
    @discardableResult
    public func runOnce() async -> Int {
        let jobs: [Job]
        do {
            jobs = try await store.claimJobs(worker: worker, kinds: Array(handlers.keys), limit: batch, lease: lease)
        } catch {
            logger.error("claiming jobs failed", metadata: ["error": "\(String(reflecting: type(of: error)))"])
            return 0
        }
        for job in jobs { await run(job) }
        return jobs.count
    }

    func run(_ job: Job) async {
        do {
            guard let handler = handlers[job.kind] else {
                throw JobError(message: "no handler for jobs of kind '\(job.kind)'")
            }
            try await handler(job)
            try await store.completeJob(job.id, worker: worker)
        } catch {
            let delay = min(backoff * pow(2, Double(job.attempt - 1)), 3600)
            let message = (error as? JobError)?.message ?? String(describing: error)
            // Only our own JobError texts are logged: other errors might carry secrets.
            logger.warning(
                "job failed",
                metadata: [
                    "job": "\(job.id)", "kind": "\(job.kind)", "attempt": "\(job.attempt)",
                    "reason": "\((error as? JobError)?.message ?? String(reflecting: type(of: error)))",
                ])
            do {
                try await store.failJob(job.id, worker: worker, error: message, retryAfter: delay)
            } catch {
                logger.error("recording a job failure failed", metadata: ["job": "\(job.id)"])
            }
        }
    }
}

/// A failure a handler reports in words an admin understands.
public struct JobError: Error, Sendable {
    public var message: String
    public init(message: String) { self.message = message }
}
