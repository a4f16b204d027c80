import Testing
@testable import OpenAIAPI

@Test func OpenAIAPIModuleLinks() {
    #expect(Bool(true))
}
