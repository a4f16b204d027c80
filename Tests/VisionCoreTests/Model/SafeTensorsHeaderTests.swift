import Testing
@testable import VisionCore

/// Malformed files, built from literal bytes: each gives a clear `invalidHeader` error, never a crash.
struct SafeTensorsHeaderTests {
    /// 8-byte little-endian length + header text + data.
    static func file(_ header: String, data: [UInt8] = [], lengthOverride: UInt64? = nil) -> [UInt8] {
        let h = Array(header.utf8)
        var out: [UInt8] = []
        withUnsafeBytes(of: (lengthOverride ?? UInt64(h.count)).littleEndian) { out.append(contentsOf: $0) }
        return out + h + data
    }

    static func reason(_ bytes: [UInt8]) -> String? {
        do {
            _ = try SafeTensorsFile(bytes: bytes, name: "t.safetensors")
            return nil
        } catch {
            guard case .invalidHeader(let path, let reason) = error else { return "unexpected \(error)" }
            #expect(path == "t.safetensors")
            return reason
        }
    }

    @Test func validMinimalFile() throws {
        let f = try SafeTensorsFile(bytes: Self.file(#"{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}"#,
                                                     data: [0, 0, 0x80, 0x3F]))
        #expect(try f.floats("a") == [1])
        let empty = try SafeTensorsFile(bytes: Self.file("{}"))
        #expect(empty.tensorNames.isEmpty)
    }

    @Test func malformedHeaders() {
        let cases: [([UInt8], String)] = [
            ([1, 2, 3], "shorter than the 8-byte length prefix"),
            (Self.file("{}", lengthOverride: 1 << 40), "exceeds the 100000000-byte limit"),
            (Self.file("{}", lengthOverride: 100), "truncated file"),
            (Self.file("[]"), "does not start with '{'"),
            (Self.file("{\"a\":"), "not valid JSON"),
            (Self.file(#"{"a":1}"#), "entry 'a' is not an object"),
            (Self.file(#"{"a":{"shape":[1],"data_offsets":[0,4]}}"#, data: [0, 0, 0, 0]), "no string dtype"),
            (Self.file(#"{"a":{"dtype":"Q7","shape":[1],"data_offsets":[0,4]}}"#, data: [0, 0, 0, 0]), "unknown dtype 'Q7'"),
            (Self.file(#"{"a":{"dtype":"F32","shape":[-1],"data_offsets":[0,4]}}"#, data: [0, 0, 0, 0]), "no valid shape"),
            (Self.file(#"{"a":{"dtype":"F32","shape":[1],"data_offsets":[4,0]}}"#, data: [0, 0, 0, 0]), "no valid data_offsets"),
            (Self.file(#"{"a":{"dtype":"F32","shape":[1],"data_offsets":[0]}}"#, data: [0, 0, 0, 0]), "no valid data_offsets"),
            (Self.file(#"{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}"#, data: [0, 0, 0, 0]), "run past the 4-byte data section"),
            (Self.file(#"{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,4]}}"#, data: [0, 0, 0, 0]), "needs 8"),
            (Self.file(#"{"a":{"dtype":"F16","shape":[2],"data_offsets":[0,4]},"b":{"dtype":"F16","shape":[2],"data_offsets":[2,6]}}"#,
                       data: [0, 0, 0, 0, 0, 0]), "overlap"),
            (Self.file(#"{"__metadata__":{"k":1}}"#), "__metadata__[k] is not a string"),
            (Self.file(#"{"a":{"dtype":"F32","shape":[9223372036854775807,4],"data_offsets":[0,4]}}"#, data: [0, 0, 0, 0]), "overflows"),
            // Offsets and shapes must be exact non-negative integers that fit Int.
            (Self.file(#"{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4.5]}}"#, data: [0, 0, 0, 0]), "no valid data_offsets"),
            (Self.file(#"{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,1e400]}}"#, data: [0, 0, 0, 0]), "no valid data_offsets"),
            (Self.file(#"{"a":{"dtype":"F32","shape":[1],"data_offsets":[-4,0]}}"#, data: [0, 0, 0, 0]), "no valid data_offsets"),
            (Self.file(#"{"a":{"dtype":"F32","shape":[1],"data_offsets":["0","4"]}}"#, data: [0, 0, 0, 0]), "no valid data_offsets"),
            (Self.file(#"{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,18446744073709551616]}}"#, data: [0, 0, 0, 0]), "no valid data_offsets"),
            (Self.file(#"{"a":{"dtype":"F32","shape":[0.5],"data_offsets":[0,4]}}"#, data: [0, 0, 0, 0]), "no valid shape"),
            (Self.file(#"{"a":{"dtype":"F32","shape":4,"data_offsets":[0,4]}}"#, data: [0, 0, 0, 0]), "no valid shape"),
            (Self.file(#"{"a":{"dtype":7,"shape":[1],"data_offsets":[0,4]}}"#, data: [0, 0, 0, 0]), "no string dtype"),
            (Self.file(#"{"a":null}"#), "entry 'a' is not an object"),
            (Self.file(#"{"__metadata__":null}"#), "__metadata__ is not an object"),
            (Self.file(#"{"__metadata__":["k"]}"#), "__metadata__ is not an object"),
            (Self.file(#"{"__metadata__":{"k":null}}"#), "__metadata__[k] is not a string"),
            (Self.file(#"{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}} x"#, data: [0, 0, 0, 0]), "not valid JSON"),
        ]
        for (bytes, fragment) in cases {
            let reason = Self.reason(bytes)
            #expect(reason?.contains(fragment) == true, "expected '\(fragment)', got \(reason ?? "success")")
        }
    }

    /// Integral numbers written with a fraction or exponent are exact integers; `__metadata__` is read; the
    /// space padding the reference writer adds after the JSON is allowed.
    @Test func exactIntegersMetadataAndPadding() throws {
        let f = try SafeTensorsFile(bytes: Self.file(
            #"{"__metadata__":{"format":"pt"},"a":{"dtype":"F32","shape":[1.0],"data_offsets":[0,4e0]}}    "#,
            data: [0, 0, 0x80, 0x3F]))
        #expect(f.metadata == ["format": "pt"])
        #expect(f.shape("a") == [1])
        #expect(try f.floats("a") == [1])
    }

    @Test func errorDescriptionsNameTheFile() {
        let error = SafeTensorsError.invalidHeader(path: "x.safetensors", reason: "header is not a JSON object")
        #expect(error.description == "x.safetensors: invalid safetensors header: header is not a JSON object")
    }
}
