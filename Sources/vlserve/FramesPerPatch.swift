import ArgumentParser

/// `--frames-per-patch` of `bench-preprocess`: temporal frames written per patch row.
enum FramesPerPatch: Int, CaseIterable, ExpressibleByArgument {
    /// The folded patch embedding's `[N, 588]` (the server's path with `--conv-impl folded`).
    case one = 1
    /// transformers' `[N, 1176]` (the temporal patch of 2 repeats a still image).
    case two = 2
}
