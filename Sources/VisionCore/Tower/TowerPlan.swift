/// The per-grid-list state of a forward: window layout, rotary angles and (for `--vit-rotary table`) the full
/// cos/sin tables.
struct TowerPlan: Sendable {
    let layout: WindowLayout
    let rotary: VisionRotary
    let fullTables: (cos: [Float], sin: [Float])?
}
