import ArgumentParser
import VisionCore
import VLServeKit

// Fixed-choice flags whose types live in a library: the argument parser rejects other values and lists the
// choices in --help. The libraries do not depend on ArgumentParser, hence the conformances here (same package,
// so not @retroactive).
extension Conv3dImplementation: ExpressibleByArgument {}
extension VisionEncoderScope: ExpressibleByArgument {}
