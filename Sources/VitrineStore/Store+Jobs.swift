import FluentKit
import Foundation
import SQLKit
import VitrineDomain

/// A job as its handler receives it.
public struct Job: Sendable, Equatable {
    public var id: UUID
    public var brandID: UUID?
    public var kind: String
    public var payload: String
    /// 1 on the first run.
    public var attempt: Int
    public var maxAttempts: Int
}

/// A job as admins see it.
public struct JobInfo: Sendable, Codable, Equatable {
    public enum Status: String, Sendable, Codable, CaseIterable { case pending, running, done, failed }
    public var id: UUID
    public var kind: String
    public var status: Status
    public var runAt: Date
    public var attempts: Int
    public var maxAttempts: Int
    public var lastError: String?
}

extension Store {
    /// Schedules a job; with a `uniqueKey` already used, nothing is added and false is returned.
    @discardableResult
    public func enqueue(
        _ kind: String, payload: String = "{}", brandID: UUID? = nil, runAt: Date? = nil, uniqueKey: String? = nil,
        maxAttempts: Int = 10, on database: (any Database)? = nil
    ) async throws -> Bool {
        let db = database ?? self.db
        if let uniqueKey, try await JobModel.query(on: db).filter(\.$uniqueKey == uniqueKey).first() != nil {
            return false
        }
        let job = JobModel()
        job.brandID = brandID
        job.kind = kind
        job.payload = payload
        job.uniqueKey = uniqueKey
        job.status = JobInfo.Status.pending.rawValue
        job.runAt = runAt ?? now
        job.attempts = 0
        job.maxAttempts = maxAttempts
        do {
            try await job.create(on: db)
        } catch let error as any DatabaseError where error.isConstraintFailure {
            return false
        }
        return true
    }

    /// Takes up to `limit` due jobs for `worker` until `lease` runs out. A job whose worker died is
    /// due again when its lease has expired. On PostgreSQL, `FOR UPDATE SKIP LOCKED` lets several
    /// nodes claim at once without taking the same job; SQLite has one writer, so the transaction is
    /// enough there.
    /// Only jobs of `kinds` are taken: a node without an SMTP server leaves mail jobs to others.
    public func claimJobs(worker: String, kinds: [String], limit: Int, lease: TimeInterval) async throws -> [Job] {
        guard !kinds.isEmpty else { return [] }
        let now = self.now
        let postgres = if case .postgres = location { true } else { false }
        return try await db.transaction { db in
            let sql = db as! any SQLDatabase
            let lock: SQLQueryString = postgres ? " FOR UPDATE SKIP LOCKED" : ""
            let rows = try await sql.raw(
                """
                SELECT id FROM jobs WHERE kind IN (\(binds: kinds)) AND (
                (status = \(bind: "pending") AND run_at <= \(bind: now))
                OR (status = \(bind: "running") AND locked_until < \(bind: now) AND attempts < max_attempts))
                ORDER BY run_at LIMIT \(bind: limit)\(lock)
                """
            ).all()
            let ids = try rows.map { try $0.decode(column: "id", as: UUID.self) }
            guard !ids.isEmpty else { return [] }
            let models = try await JobModel.query(on: db).filter(\.$id ~~ ids).all()
            for model in models {
                model.status = JobInfo.Status.running.rawValue
                model.lockedBy = worker
                model.lockedUntil = now.addingTimeInterval(lease)
                model.attempts += 1
                try await model.save(on: db)
            }
            return models.map {
                Job(
                    id: $0.id!, brandID: $0.brandID, kind: $0.kind, payload: $0.payload, attempt: $0.attempts,
                    maxAttempts: $0.maxAttempts)
            }
        }
    }

    /// Records success, unless another worker took the job over after this one's lease ran out
    /// (one conditional UPDATE, so the check and the write cannot be split by another worker).
    public func completeJob(_ id: UUID, worker: String) async throws {
        // A done job keeps no data: mail payloads hold addresses and one-time links.
        try await JobModel.query(on: db).filter(\.$id == id).filter(\.$lockedBy == worker)
            .set(\.$status, to: JobInfo.Status.done.rawValue).set(\.$payload, to: "{}")
            .set(\.$lockedBy, to: nil).set(\.$lockedUntil, to: nil).set(\.$lastError, to: nil)
            .set(\.$updatedAt, to: now).update()
    }

    /// Records a failure: the job runs again after `retryAfter`, or fails for good after its last attempt.
    public func failJob(_ id: UUID, worker: String, error: String, retryAfter: TimeInterval) async throws {
        guard let model = try await JobModel.find(id, on: db), model.lockedBy == worker else { return }
        let final = model.attempts >= model.maxAttempts
        try await JobModel.query(on: db).filter(\.$id == id).filter(\.$lockedBy == worker)
            .set(\.$status, to: (final ? JobInfo.Status.failed : .pending).rawValue)
            // A job that failed for good keeps no one-time link either.
            .set(\.$payload, to: final ? "{}" : model.payload)
            .set(\.$runAt, to: now.addingTimeInterval(retryAfter)).set(\.$lockedBy, to: nil)
            .set(\.$lockedUntil, to: nil).set(\.$lastError, to: String(error.prefix(1000)))
            .set(\.$updatedAt, to: now).update()
    }

    /// How many jobs of a brand are in a state.
    public func countJobs(brandID: UUID, status: JobInfo.Status) async throws -> Int {
        try await JobModel.query(on: db).filter(\.$brandID == brandID).filter(\.$status == status.rawValue).count()
    }

    /// Jobs of a brand, or of every brand (nil), newest first.
    public func jobs(brandID: UUID?, status: JobInfo.Status?, limit: Int = 100) async throws -> [JobInfo] {
        var query = JobModel.query(on: db)
        if let brandID { query = query.filter(\.$brandID == brandID) }
        if let status { query = query.filter(\.$status == status.rawValue) }
        return try await query.sort(\.$runAt, .descending).limit(limit).all().map {
            JobInfo(
                id: $0.id!, kind: $0.kind, status: JobInfo.Status(rawValue: $0.status) ?? .pending, runAt: $0.runAt,
                attempts: $0.attempts, maxAttempts: $0.maxAttempts, lastError: $0.lastError)
        }
    }
}
