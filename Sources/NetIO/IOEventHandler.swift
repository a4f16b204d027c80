/// Receives readiness events for a descriptor registered on an `EventLoop`. Called on the loop thread.
public protocol IOEventHandler: AnyObject {
    func handleIO(_ events: IOEvents)
}
