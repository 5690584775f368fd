import Foundation
import Logging
import ServiceLifecycle
import VitrineStore

/// The show calendar's clockwork: every minute it marks missed the shows that did not start 30
/// minutes after their time; every hour (and at start) it keeps 8 weeks of shows ahead for each
/// active series. Every 5 s it gives back the stock of expired checkouts (the live rooms tell
/// viewers within 2 s). All are safe to run on several nodes at once.
struct ScheduleService: Service {
    let store: Store
    let logger: Logger
    /// Tells registrants of a missed show.
    let audience: Audience?
    var tick: Duration = .seconds(60)
    var reservationTick: Duration = .seconds(5)
    var seriesEvery = 60

    func run() async throws {
        await cancelWhenGracefulShutdown {
            await withDiscardingTaskGroup { group in
                group.addTask { await releaseReservations() }
                group.addTask { await calendar() }
            }
        }
    }

    /// Expired checkouts give their units back.
    func releaseReservations() async {
        while !Task.isCancelled {
            do {
                let released = try await store.releaseExpiredReservations()
                if released > 0 { logger.info("expired checkouts released", metadata: ["count": "\(released)"]) }
            } catch {
                logger.error("releasing expired checkouts failed", metadata: ["error": "\(error)"])
            }
            try? await Task.sleep(for: reservationTick)
        }
    }

    func calendar() async {
        var ticks = 0
        while !Task.isCancelled {
            if ticks % seriesEvery == 0 { await extendSeries() }
            await markMissed()
            ticks += 1
            try? await Task.sleep(for: tick)
        }
    }

    func extendSeries() async {
        let all: [(brandID: UUID, seriesID: UUID)]
        do {
            all = try await store.activeSeries()
        } catch {
            logger.error("listing series failed", metadata: ["error": "\(String(reflecting: type(of: error)))"])
            return
        }
        // One series failing does not stop the others.
        for (brandID, seriesID) in all {
            do {
                let created = try await store.brand(brandID).extendSeries(seriesID)
                if created > 0 {
                    logger.info("series extended", metadata: ["series": "\(seriesID)", "shows": "\(created)"])
                }
            } catch {
                logger.error(
                    "extending a series failed",
                    metadata: ["series": "\(seriesID)", "error": "\(String(reflecting: type(of: error)))"])
            }
        }
    }

    func markMissed() async {
        do {
            for id in try await store.markMissedShows() {
                logger.notice("show missed: not live 30 minutes after its start", metadata: ["show": "\(id)"])
                if let audience, let (show, _) = try await store.showForJob(id) {
                    try await audience.notify(.missed, show)
                }
            }
        } catch {
            logger.error("marking missed shows failed", metadata: ["error": "\(String(reflecting: type(of: error)))"])
        }
    }
}
