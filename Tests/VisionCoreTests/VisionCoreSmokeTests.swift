import Testing
@testable import VisionCore

@Test func VisionCoreModuleLinks() {
    #expect(Bool(true))
}
