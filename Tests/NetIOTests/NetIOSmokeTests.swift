import Testing
@testable import NetIO

@Test func NetIOModuleLinks() {
    #expect(Bool(true))
}
