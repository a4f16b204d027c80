import HTTPCore
@testable import NetIO
import Testing

/// `ConnectionState`'s transitions with literal inputs: no sockets, no clock.
@Suite struct ConnectionStateTests {
    typealias State = ConnectionState
    static let second: UInt64 = 1_000_000_000

    /// Timeouts in whole seconds, so the literal times below read as seconds.
    static let config: ServerConfiguration = {
        var c = ServerConfiguration(port: 0, eventLoopCount: 1)
        c.headTimeout = .seconds(10)
        c.bodyIdleTimeout = .seconds(15)
        c.bodyTimeout = .seconds(60)
        c.keepAliveIdleTimeout = .seconds(75)
        c.writeStallTimeout = .seconds(30)
        c.lingerTimeout = .seconds(2)
        return c
    }()

    func expired(_ s: State, at seconds: UInt64, phase: HTTPRequestParser.Phase = .idle, outputPending: Bool = false,
                 responseInFlight: Bool = false) -> State.Expiry? {
        s.expired(now: seconds * Self.second, parserPhase: phase, outputPending: outputPending,
                  responseInFlight: responseInFlight, config: Self.config)
    }

    // MARK: - Keep-alive and requests

    @Test func keepAliveNeedsTheClientsWishRoomForMoreRequestsNoDrainAndAnOpenPeer() {
        var s = State(acceptedAt: 0)
        #expect(s.requestDispatched(requested: true, maxRequests: 3, draining: false) == true)
        #expect(s.requestDispatched(requested: true, maxRequests: 3, draining: false) == true)
        #expect(s.requestDispatched(requested: true, maxRequests: 3, draining: false) == false)   // the 3rd of 3
        #expect(s.requestCount == 3)
        var t = State(acceptedAt: 0)
        #expect(t.requestDispatched(requested: false, maxRequests: 1000, draining: false) == false)
        #expect(t.requestDispatched(requested: true, maxRequests: 1000, draining: true) == false)
        _ = t.peerClosed(responseInFlight: true, outputPending: false, policy: .finishResponse)
        #expect(t.requestDispatched(requested: true, maxRequests: 1000, draining: false) == false)   // half-closed
    }

    @Test func keepAliveIsDroppedByACloseDelimitedStreamAnErrorOrADrain() {
        for drop in 0..<3 {
            var s = State(acceptedAt: 0)
            #expect(s.requestDispatched(requested: true, maxRequests: 1000, draining: false) == true)
            switch drop {
            case 0: s.responseIsCloseDelimited()
            case 1: s.errorResponseQueued()
            default: #expect(s.drain(responseInFlight: true, outputPending: false) == .none)
            }
            #expect(!s.keepAlive, "\(drop)")
            #expect(s.responseFinished(now: 1) == .flush, "\(drop)")
            #expect(!s.takesRequests, "\(drop)")
        }
    }

    @Test func aKeepAliveResponseLeavesTheConnectionOpen() {
        var s = State(acceptedAt: 0)
        _ = s.requestDispatched(requested: true, maxRequests: 1000, draining: false)
        #expect(s.responseFinished(now: 5) == .none)
        #expect(s.lifecycle == .open)
        #expect(s.phaseStart == 5)
        #expect(s.takesRequests)
    }

    @Test func aCloseResponseFlushesThenClosesOrLingersOverUnreadInput() {
        var s = State(acceptedAt: 0)
        s.requestDispatched(requested: false, maxRequests: 1000, draining: false)
        #expect(s.responseFinished(now: 1) == .flush)
        #expect(s.lifecycle == .closing(then: .lingerIfUnread))
        #expect(!s.takesRequests)
        var unread = s
        #expect(s.outputFlushed(unreadInput: false, now: 2) == .close)
        #expect(unread.outputFlushed(unreadInput: true, now: 2) == .startLinger)
        #expect(unread.lifecycle == .lingering(since: 2, discarded: 0))
    }

    // MARK: - Half-close (http-hardening.md §2.12)

    @Test func eofWithAResponseInFlightStillAnswersThenCloses() {
        var s = State(acceptedAt: 0)
        s.requestDispatched(requested: true, maxRequests: 1000, draining: false)
        #expect(s.peerClosed(responseInFlight: true, outputPending: false, policy: .finishResponse) == .updateInterest)
        #expect(s.lifecycle == .halfClosed)
        #expect(s.takesRequests)   // pipelined requests already received are still answered
        #expect(s.interest(outputPending: false, responseInFlight: true, readAheadFull: false) == [])
        // Keep-alive was asked for: the next pipelined request is parsed; none is left.
        #expect(s.responseFinished(now: 1) == .none)
        s.inputExhausted()
        #expect(s.lifecycle == .closing(then: .close))
        #expect(s.outputFlushed(unreadInput: true, now: 2) == .close)   // no linger: the peer is gone
    }

    @Test func eofWithAResponseInFlightAbortsUnderTheAbortPolicy() {
        var s = State(acceptedAt: 0)
        #expect(s.peerClosed(responseInFlight: true, outputPending: false, policy: .abort) == .close)
    }

    @Test func eofBetweenRequestsClosesAtOnceOrAfterThePendingOutput() {
        var idle = State(acceptedAt: 0)
        #expect(idle.peerClosed(responseInFlight: false, outputPending: false, policy: .finishResponse) == .close)
        var pending = State(acceptedAt: 0)
        #expect(pending.peerClosed(responseInFlight: false, outputPending: true, policy: .finishResponse) == .updateInterest)
        #expect(pending.lifecycle == .closing(then: .close))
        #expect(pending.interest(outputPending: true, responseInFlight: false, readAheadFull: false) == .write)
    }

    @Test func inputExhaustedOnlyEndsAHalfClosedConnection() {
        var s = State(acceptedAt: 0)
        s.inputExhausted()
        #expect(s.lifecycle == .open)
    }

    // MARK: - Errors and linger

    @Test func anErrorResponseLingersUnlessThePeerHasClosed() {
        var s = State(acceptedAt: 0)
        s.errorResponseQueued()
        #expect(s.lifecycle == .closing(then: .linger))
        #expect(s.outputFlushed(unreadInput: false, now: 7) == .startLinger)
        #expect(s.lifecycle == .lingering(since: 7, discarded: 0))
        #expect(s.interest(outputPending: false, responseInFlight: false, readAheadFull: false) == .read)

        var half = State(acceptedAt: 0)
        _ = half.peerClosed(responseInFlight: true, outputPending: false, policy: .finishResponse)
        half.errorResponseQueued()
        #expect(half.lifecycle == .closing(then: .close))

        // EOF after the error, while its output is still being written: close, do not linger.
        var late = State(acceptedAt: 0)
        late.errorResponseQueued()
        #expect(late.peerClosed(responseInFlight: false, outputPending: true, policy: .finishResponse) == .updateInterest)
        #expect(late.outputFlushed(unreadInput: false, now: 1) == .close)
    }

    @Test func lingeringDiscardsUpToTheCapAndClosesOnEOF() {
        var s = State(acceptedAt: 0)
        s.errorResponseQueued()
        _ = s.outputFlushed(unreadInput: false, now: 0)
        #expect(s.discarded(600, limit: 1000) == .none)
        #expect(s.discarded(400, limit: 1000) == .none)   // exactly at the cap
        #expect(s.lifecycle == .lingering(since: 0, discarded: 1000))
        #expect(s.discarded(1, limit: 1000) == .close)
        var t = s
        #expect(t.peerClosed(responseInFlight: false, outputPending: false, policy: .finishResponse) == .close)
        // Only a lingering connection counts discarded bytes.
        var open = State(acceptedAt: 0)
        #expect(open.discarded(5000, limit: 1000) == .none)
        #expect(open.lifecycle == .open)
    }

    // MARK: - Back-pressure

    @Test func readingStopsWhenTheReadAheadIsFullWhileAResponseIsInFlight() {
        let s = State(acceptedAt: 0)
        #expect(s.interest(outputPending: false, responseInFlight: false, readAheadFull: false) == .read)
        #expect(s.interest(outputPending: false, responseInFlight: true, readAheadFull: false) == .read)
        #expect(s.interest(outputPending: true, responseInFlight: true, readAheadFull: true) == .write)
        #expect(s.interest(outputPending: true, responseInFlight: false, readAheadFull: true) == [.read, .write])
        var closed = s
        closed.markClosed()
        #expect(closed.interest(outputPending: true, responseInFlight: false, readAheadFull: false) == [])
    }

    // MARK: - Draining

    @Test func drainClosesIdleAndLingeringConnectionsAndLetsBusyOnesFinish() {
        var idle = State(acceptedAt: 0)
        #expect(idle.drain(responseInFlight: false, outputPending: false) == .close)
        var busy = State(acceptedAt: 0)
        #expect(busy.drain(responseInFlight: true, outputPending: false) == .none)
        #expect(busy.lifecycle == .open)   // the response's keep-alive is dropped by the caller
        var flushing = State(acceptedAt: 0)
        #expect(flushing.drain(responseInFlight: false, outputPending: true) == .none)
        #expect(flushing.lifecycle == .closing(then: .lingerIfUnread))
        var lingering = State(acceptedAt: 0)
        lingering.errorResponseQueued()
        _ = lingering.outputFlushed(unreadInput: false, now: 0)
        #expect(lingering.drain(responseInFlight: false, outputPending: false) == .close)
        var closed = State(acceptedAt: 0)
        closed.markClosed()
        #expect(closed.drain(responseInFlight: false, outputPending: false) == .none)
    }

    // MARK: - Deadlines

    @Test func theFirstRequestsHeadDeadlineRunsFromAccept() {
        var s = State(acceptedAt: 100 * Self.second)
        #expect(expired(s, at: 110) == nil)
        #expect(expired(s, at: 111) == .close)   // silent: no byte arrived
        // The first byte arrives at 108: the deadline still runs from accept.
        s.notePhase(.head, now: 108 * Self.second)
        #expect(expired(s, at: 110, phase: .head) == nil)
        #expect(expired(s, at: 111, phase: .head) == .requestTimeout("request head not received within 10.0 seconds"))
    }

    @Test func laterHeadsRunFromTheirFirstByteAndIdleConnectionsFromTheLastResponse() {
        var s = State(acceptedAt: 0)
        _ = s.requestDispatched(requested: true, maxRequests: 1000, draining: false)
        _ = s.responseFinished(now: 20 * Self.second)
        #expect(expired(s, at: 95) == nil)
        #expect(expired(s, at: 96) == .close)   // keep-alive idle, 75 s
        s.notePhase(.head, now: 50 * Self.second)
        #expect(expired(s, at: 60, phase: .head) == nil)
        #expect(expired(s, at: 61, phase: .head) == .requestTimeout("request head not received within 10.0 seconds"))
    }

    @Test func bodiesHaveAnAbsoluteDeadlineAndAnIdleGap() {
        var s = State(acceptedAt: 0)
        s.notePhase(.body, now: 10 * Self.second)
        s.noteRead(now: 60 * Self.second)
        #expect(expired(s, at: 70, phase: .body) == nil)
        #expect(expired(s, at: 71, phase: .body) == .requestTimeout("request body not received within 60.0 seconds"))
        var stalled = State(acceptedAt: 0)
        stalled.notePhase(.body, now: 0)
        stalled.noteRead(now: 5 * Self.second)
        #expect(expired(stalled, at: 20, phase: .body) == nil)
        #expect(expired(stalled, at: 21, phase: .body) == .requestTimeout("request body stalled for 15.0 seconds"))
    }

    @Test func notePhaseReadsTheClockOnlyWhenThePhaseChanges() {
        var s = State(acceptedAt: 0)
        var reads = 0
        func clock() -> UInt64 { reads += 1; return 42 }
        s.notePhase(.idle, now: clock())
        #expect(reads == 0)
        s.notePhase(.body, now: clock())
        s.notePhase(.body, now: clock())
        #expect(reads == 1)
        #expect(s.phaseStart == 42)
    }

    @Test func aResponseInFlightOnlyHasTheWriteStallDeadline() {
        var s = State(acceptedAt: 0)
        _ = s.requestDispatched(requested: true, maxRequests: 1000, draining: false)
        s.noteWriteProgress(now: 100 * Self.second)
        #expect(expired(s, at: 1000, phase: .head, responseInFlight: true) == nil)
        #expect(expired(s, at: 130, outputPending: true, responseInFlight: true) == nil)
        #expect(expired(s, at: 131, outputPending: true, responseInFlight: true) == .writeStalled)
    }

    @Test func closingWaitsOnlyForItsOutputAndLingeringForItsTimeout() {
        var s = State(acceptedAt: 0)
        s.requestDispatched(requested: false, maxRequests: 1000, draining: false)
        _ = s.responseFinished(now: 0)
        #expect(expired(s, at: 1000, phase: .head) == nil)
        #expect(expired(s, at: 31, outputPending: true) == .writeStalled)
        s.errorResponseQueued()
        _ = s.outputFlushed(unreadInput: false, now: 40 * Self.second)
        #expect(expired(s, at: 42, phase: .body) == nil)
        #expect(expired(s, at: 43, phase: .body) == .close)
        s.markClosed()
        #expect(expired(s, at: 1000) == nil)
    }
}
