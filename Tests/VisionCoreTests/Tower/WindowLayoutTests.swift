import Testing
@testable import VisionCore

@Suite struct WindowLayoutTests {
    /// qwen-vision.md §4.5's vectors (verified against a numpy port of transformers' get_window_index).
    @Test func specVectors() {
        let a = WindowLayout(grids: [GridTHW(t: 1, h: 8, w: 12)])
        #expect(a.windowIndex == [0, 1, 2, 3, 6, 7, 8, 9, 12, 13, 14, 15, 18, 19, 20, 21, 4, 5, 10, 11, 16, 17, 22, 23])
        #expect(a.cuWindowSeqlens == [0, 64, 96])
        #expect(a.cuSeqlens == [0, 96])
        #expect(WindowLayout(grids: [GridTHW(t: 1, h: 16, w: 16)]).cuWindowSeqlens == [0, 64, 128, 192, 256])
        let b = WindowLayout(grids: [GridTHW(t: 1, h: 4, w: 4), GridTHW(t: 1, h: 8, w: 12)])
        #expect(b.cuWindowSeqlens == [0, 16, 80, 112])
        #expect(b.cuSeqlens == [0, 16, 112])
        let c = WindowLayout(grids: [GridTHW(t: 2, h: 8, w: 8)])
        #expect(c.windowIndex == Array(0..<32))
        #expect(c.cuWindowSeqlens == [0, 64, 128])
        #expect(c.cuSeqlens == [0, 64, 128])
        let d = WindowLayout(grids: [GridTHW(t: 1, h: 34, w: 46)])
        #expect(d.cuWindowSeqlens.count == 31)
        #expect(Array(d.cuWindowSeqlens.prefix(8)) == [0, 64, 128, 192, 256, 320, 368, 432])
        #expect(d.cuWindowSeqlens.suffix(2) == [1552, 1564])
    }

    /// transformers' own window index and segments for the fixture cases (padding windows, a video frame pair,
    /// several images).
    @Test func matchesTransformers() throws {
        let file = try TowerFixtures.file("tower_small.safetensors")
        for name in ["single", "batch"] {
            let grids = try TowerFixtures.grids(file, "\(name).grids")
            let layout = WindowLayout(grids: grids)
            #expect(layout.windowIndex == (try file.int64s("\(name).window_index")).map(Int.init))
            #expect(layout.cuWindowSeqlens == (try file.int64s("\(name).cu_window_seqlens")).map(Int.init))
            #expect(layout.cuSeqlens == (try file.int64s("\(name).cu_seqlens")).map(Int.init))
            let inverse = layout.inverseIndex
            #expect(inverse.indices.allSatisfy { layout.windowIndex[inverse[$0]] == $0 })
        }
    }
}
