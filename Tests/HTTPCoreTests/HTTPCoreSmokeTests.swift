import Testing
@testable import HTTPCore

@Test func HTTPCoreModuleLinks() {
    #expect(Bool(true))
}
