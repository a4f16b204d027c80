import Testing
@testable import VLServeKit

@Test func VLServeKitModuleLinks() {
    #expect(Bool(true))
}
