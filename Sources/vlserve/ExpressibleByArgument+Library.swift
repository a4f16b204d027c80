import ArgumentParser
import VisionCore

// A fixed-choice flag whose type lives in a library: the argument parser rejects other values and lists the
// choices in --help. VisionCore does not depend on ArgumentParser, hence the conformance here (same package,
// so not @retroactive).
extension Conv3dImplementation: ExpressibleByArgument {}
