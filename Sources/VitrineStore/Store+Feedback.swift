import FluentKit
import Foundation
import VitrineDomain

/// What a brand sees of a show's survey.
public struct FeedbackSummary: Sendable, Codable, Equatable {
    public struct Answer: Sendable, Codable, Equatable {
        public var rating: Int
        public var comment: String?
        public var answeredAt: Date
    }
    /// Registrants asked, and how many answered.
    public var asked: Int
    public var answered: Int
    /// Mean rating (1 to 5), nil before the first answer.
    public var average: Double?
    /// How many gave 1, 2, 3, 4 and 5.
    public var counts: [Int]
    public var answers: [Answer]
}

extension Store {
    /// The survey token of a registrant for a show, made once.
    public func surveyToken(for registration: Registration) async throws -> String {
        if let existing = try await FeedbackModel.query(on: db).filter(\.$registrationID == registration.id).first() {
            return existing.token
        }
        let model = FeedbackModel()
        model.brandID = registration.brandID
        model.showID = registration.showID
        model.registrationID = registration.id
        model.token = Secrets.generate()
        do {
            try await model.create(on: db)
        } catch let error as any DatabaseError where error.isConstraintFailure {
            // A retry of the same job made it first.
            return try await FeedbackModel.query(on: db).filter(\.$registrationID == registration.id).first()?.token
                ?? model.token
        }
        return model.token
    }

    /// The show a survey token is about, nil when unknown.
    public func survey(token: String) async throws -> (Show, Brand, answered: Bool)? {
        guard let model = try await FeedbackModel.query(on: db).filter(\.$token == token).first(),
            let (show, brand) = try await showForJob(model.showID)
        else { return nil }
        return (show, brand, model.answeredAt != nil)
    }

    /// Records (or replaces) an answer: a rating from 1 to 5 and an optional comment.
    public func answerSurvey(token: String, rating: Int, comment: String?) async throws -> Bool {
        guard (1...5).contains(rating) else { throw DomainError.invalid("rating", "The rating is from 1 to 5.") }
        let comment = try comment.map { try ProductRules.text($0, field: "comment", max: 2000) }
        guard let model = try await FeedbackModel.query(on: db).filter(\.$token == token).first() else { return false }
        model.rating = rating
        model.comment = comment?.isEmpty == true ? nil : comment
        model.answeredAt = now
        try await model.save(on: db)
        return true
    }
}

extension BrandScope {
    public func feedback(showID: UUID) async throws -> FeedbackSummary {
        guard try await showModel(showID, on: db) != nil else { throw DomainError.notFound }
        let rows = try await FeedbackModel.query(on: db).filter(\.$brandID == brandID).filter(\.$showID == showID).all()
        let answers = rows.compactMap { row -> FeedbackSummary.Answer? in
            guard let rating = row.rating, let at = row.answeredAt else { return nil }
            return .init(rating: rating, comment: row.comment, answeredAt: at)
        }.sorted { $0.answeredAt > $1.answeredAt }
        var counts = [0, 0, 0, 0, 0]
        for answer in answers { counts[answer.rating - 1] += 1 }
        let average = answers.isEmpty ? nil : Double(answers.map(\.rating).reduce(0, +)) / Double(answers.count)
        return FeedbackSummary(
            asked: rows.count, answered: answers.count, average: average, counts: counts, answers: answers)
    }
}
