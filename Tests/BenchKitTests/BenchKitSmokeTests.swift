import Testing
@testable import BenchKit

@Test func BenchKitModuleLinks() {
    #expect(Bool(true))
}
