import Testing
import BenchKit
import VisionCore

/// BenchKit keeps its own copy of `vlserve serve --conv-impl`'s names so that vlbench builds without VisionCore;
/// this pins the copy to `Conv3dImplementation` (a new implementation must be added to both).
@Suite struct ConvImplementationNamesTests {
    @Test func mirrorsConv3dImplementation() {
        #expect(ServerVariant.convImplementationNames == Conv3dImplementation.allCases.map(\.rawValue))
    }
}
