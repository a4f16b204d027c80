import ArgumentParser
import BenchKit

// The fixed-choice flags: the argument parser rejects other values and lists the choices in --help.
// (BenchKit does not depend on ArgumentParser, hence the conformances here (same package, so not @retroactive).)

extension Backend: ExpressibleByArgument {}

extension CompatMode: ExpressibleByArgument {}

extension RampUp.Strategy: ExpressibleByArgument {}

extension DatasetName: ExpressibleByArgument {
    /// Also accepts `custom_mm` and `custom-mm` for `custom`, as `vllm bench serve` does.
    public init?(argument: String) { self.init(flag: argument) }
}
