import Foundation

/// One server configuration to benchmark: a name and the extra `vlserve serve` flags.
public struct ServerVariant: Sendable, Equatable {
    public var name: String
    public var arguments: [String]
    public init(name: String, arguments: [String]) { self.name = name; self.arguments = arguments }

    /// The names `--conv-impls` accepts: `vlserve serve --conv-impl`'s choices, in order. A literal copy of
    /// `VisionCore.Conv3dImplementation.allCases.map(\.rawValue)` (BenchKit does not link VisionCore's GEMM
    /// stack); BenchKitTests' `ConvImplementationNamesTests` pins the two together.
    public static let convImplementationNames = ["direct", "conv", "im2col", "gemm", "auto", "folded"]

    /// `--conv-impls direct,im2col,gemm` → one variant per implementation (`--conv-impl X`). A name that is not
    /// one of `convImplementationNames` is a `FlagError` that lists them.
    public static func convImpls(_ list: String) throws(FlagError) -> [ServerVariant] {
        let names = list.split(separator: ",").map { String($0).trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        if let unknown = names.first(where: { !convImplementationNames.contains($0) }) {
            throw FlagError("--conv-impls: '\(unknown)' is not a Conv3d implementation; use a comma list of "
                                + convImplementationNames.joined(separator: ", "))
        }
        return names.map { ServerVariant(name: $0, arguments: ["--conv-impl", $0]) }
    }

    /// `NAME=--flag value --other` (or just flags, named after them). Splits on whitespace,
    /// honouring single and double quotes.
    public static func parse(_ spec: String) -> ServerVariant {
        var name: String?
        var rest = spec
        if let eq = spec.firstIndex(of: "="), !spec[..<eq].contains(" "), !spec.hasPrefix("-") {
            name = String(spec[..<eq])
            rest = String(spec[spec.index(after: eq)...])
        }
        let args = shellSplit(rest)
        return ServerVariant(name: name ?? (args.isEmpty ? "default" : args.joined(separator: " ")), arguments: args)
    }

    /// Whitespace split with '…' and "…" quoting.
    public static func shellSplit(_ s: String) -> [String] {
        var out: [String] = []
        var cur = ""
        var quote: Character?
        var has = false
        for c in s {
            if let q = quote {
                if c == q { quote = nil } else { cur.append(c) }
            } else if c == "'" || c == "\"" {
                quote = c; has = true
            } else if c == " " || c == "\t" || c == "\n" {
                if has || !cur.isEmpty { out.append(cur); cur = ""; has = false }
            } else {
                cur.append(c)
            }
        }
        if has || !cur.isEmpty { out.append(cur) }
        return out
    }
}
