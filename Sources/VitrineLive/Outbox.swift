import VitrineDomain
import NIOCore
import Synchronization

/// A viewer's bounded queue of frames to send. The room pushes the same encoded frame to every
/// viewer without waiting; the viewer's writer drains it. A viewer whose queue passes `limit`
/// bytes is behind for good: its queue is dropped and it is closed with the resync code, so it
/// never holds the others back.
public final class Outbox: Sendable {
    public enum Next: Sendable {
        case frames([ByteBuffer])
        case close(code: UInt16, reason: String)
    }

    struct State {
        var frames: [ByteBuffer] = []
        var bytes = 0
        var waiter: CheckedContinuation<Next, Never>?
        var ending: (code: UInt16, reason: String)?
    }

    let limit: Int
    let state = Mutex(State())

    public init(limit: Int) { self.limit = limit }

    /// Queues a frame. False when the viewer has fallen too far behind (it is being closed).
    @discardableResult
    public func push(_ frame: ByteBuffer) -> Bool {
        state.withLock { state in
            guard state.ending == nil else { return false }
            if let waiter = state.waiter {
                state.waiter = nil
                waiter.resume(returning: .frames([frame]))
                return true
            }
            guard state.bytes + frame.readableBytes <= limit else {
                state.frames = []
                state.bytes = 0
                state.ending = (LiveProtocol.closeResync, "too far behind: reconnect to resync")
                return false
            }
            state.frames.append(frame)
            state.bytes += frame.readableBytes
            return true
        }
    }

    /// Ends the connection after what is queued (or at once for the resync code, which drops it).
    public func close(code: UInt16, reason: String) {
        state.withLock { state in
            guard state.ending == nil else { return }
            state.ending = (code, reason)
            if let waiter = state.waiter {
                state.waiter = nil
                waiter.resume(returning: .close(code: code, reason: reason))
            }
        }
    }

    /// Queued bytes (for the benchmark and tests).
    public var queuedBytes: Int { state.withLock { $0.bytes } }

    /// The next frames to write, or the close to send. Called by one writer at a time.
    public func next() async -> Next {
        await withCheckedContinuation { continuation in
            state.withLock { state in
                if !state.frames.isEmpty {
                    let frames = state.frames
                    state.frames = []
                    state.bytes = 0
                    continuation.resume(returning: .frames(frames))
                } else if let ending = state.ending {
                    continuation.resume(returning: .close(code: ending.code, reason: ending.reason))
                } else {
                    state.waiter = continuation
                }
            }
        }
    }
}
