import Foundation
import Logging
import Synchronization
import Testing
import VitrineStore

@testable import VitrineApp

/// A clock that tests move by hand.
final class TestClock: Sendable {
    let current = Mutex(Date(timeIntervalSince1970: 1_800_000_000))
    var now: Date { current.withLock { $0 } }
    func advance(_ seconds: TimeInterval) { current.withLock { $0 = $0.addingTimeInterval(seconds) } }
}

@Suite struct JobRunnerTests {
    static let logger = Logger(label: "jobs-test")

    @Test(arguments: TestDatabase.available)
    func twoRunnersRunAThousandJobsEachExactlyOnce(database: TestDatabase) async throws {
        // setup
        let env = try await TestEnvironment.make(database)
        for index in 0..<1000 { try await env.store.enqueue("count", payload: "{\"n\":\(index)}") }
        let seen = Mutex<[UUID: Int]>([:])
        let handler: JobHandler = { job in seen.withLock { $0[job.id, default: 0] += 1 } }
        // Two nodes: two stores, two runners, racing for the same table.
        let nodes = try await (0..<2).asyncMap { _ in
            try await Store(location: env.config.database, logger: Self.logger)
        }
        // MUT
        try await withThrowingTaskGroup(of: Void.self) { group in
            for (index, store) in nodes.enumerated() {
                group.addTask {
                    var runner = JobRunner(
                        store: store, handlers: ["count": handler], logger: Self.logger, worker: "node-\(index)")
                    runner.batch = 25
                    while await runner.runOnce() > 0 {}
                }
            }
            try await group.waitForAll()
        }
        // validate
        let counts = seen.withLock { $0 }
        #expect(counts.count == 1000)
        #expect(counts.values.allSatisfy { $0 == 1 }, "no job ran twice")
        #expect(try await env.store.jobs(brandID: nil, status: .done, limit: 2000).count == 1000)
        for store in nodes { await store.shutdown() }
        await env.cleanup()
    }

    @Test(arguments: TestDatabase.available)
    func failuresAreRetriedWithBackoffThenFail(database: TestDatabase) async throws {
        let env = try await TestEnvironment.make(database)
        let clock = TestClock()
        let store = try await Store(location: env.config.database, logger: Self.logger, clock: { clock.now })
        try await store.enqueue("flaky", maxAttempts: 3)
        let calls = Mutex(0)
        var runner = JobRunner(
            store: store,
            handlers: [
                "flaky": { _ in
                    calls.withLock { $0 += 1 }; throw JobError(message: "SMTP said 451")
                }
            ],
            logger: Self.logger, worker: "w")
        runner.backoff = 30
        #expect(await runner.runOnce() == 1)
        #expect(await runner.runOnce() == 0, "not due before its backoff")
        clock.advance(31)
        #expect(await runner.runOnce() == 1)
        clock.advance(59)
        #expect(await runner.runOnce() == 0, "the second wait is 60 s")
        clock.advance(2)
        #expect(await runner.runOnce() == 1)
        clock.advance(10_000)
        #expect(await runner.runOnce() == 0, "failed for good after 3 attempts")
        let failed = try await store.jobs(brandID: nil, status: .failed)
        #expect(failed.count == 1)
        #expect(failed.first?.lastError == "SMTP said 451")
        #expect(failed.first?.attempts == 3)
        #expect(calls.withLock { $0 } == 3)
        await store.shutdown()
        await env.cleanup()
    }

    @Test(arguments: TestDatabase.available)
    func aJobWhoseWorkerDiedRunsAgainAfterItsLease(database: TestDatabase) async throws {
        let env = try await TestEnvironment.make(database)
        let clock = TestClock()
        let store = try await Store(location: env.config.database, logger: Self.logger, clock: { clock.now })
        try await store.enqueue("mail", uniqueKey: "reminder-1")
        #expect(try await store.enqueue("mail", uniqueKey: "reminder-1") == false, "enqueued once per key")
        // A worker claims the job and dies.
        #expect(try await store.claimJobs(worker: "dead", kinds: ["mail"], limit: 10, lease: 300).count == 1)
        let done = Mutex(0)
        let runner = JobRunner(
            store: store, handlers: ["mail": { _ in done.withLock { $0 += 1 } }], logger: Self.logger, worker: "alive")
        #expect(await runner.runOnce() == 0, "still leased")
        clock.advance(301)
        #expect(await runner.runOnce() == 1)
        #expect(done.withLock { $0 } == 1)
        // The dead worker coming back cannot overwrite the result.
        try await store.failJob(
            try #require(try await store.jobs(brandID: nil, status: nil).first?.id), worker: "dead", error: "late",
            retryAfter: 1)
        #expect(try await store.jobs(brandID: nil, status: .done).count == 1)
        await store.shutdown()
        await env.cleanup()
    }
}

extension Sequence {
    func asyncMap<T>(_ transform: (Element) async throws -> T) async rethrows -> [T] {
        var result: [T] = []
        for element in self { result.append(try await transform(element)) }
        return result
    }
}
