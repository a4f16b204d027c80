import Testing
@testable import VisionCore

/// Reading every dtype from a file written by Python's safetensors (dtypes.safetensors).
struct SafeTensorsReaderTests {
    @Test(arguments: ["f32", "f16", "bf16", "f64"])
    func floatDtypesConvertExactly(_ name: String) throws {
        let file = try ConvFixtures.file("dtypes.safetensors")
        let values = try file.floats(name)
        let expected = try file.floats("expected_\(name)")
        #expect(values.map(\.bitPattern) == expected.map(\.bitPattern))
        #expect(file.shape(name) == [2, 5])
    }

    @Test func dtypesAreReported() throws {
        let file = try ConvFixtures.file("dtypes.safetensors")
        let expected: [String: SafeTensorsDType] = ["f32": .f32, "f16": .f16, "bf16": .bf16, "f64": .f64, "i64": .i64,
                                                    "i32": .i32, "i16": .i16, "i8": .i8, "u8": .u8, "bool": .bool]
        for (name, dtype) in expected {
            #expect(file.tensors[name]?.dtype == dtype, "\(name)")
        }
        #expect(file.metadata["format"] == "pt")
        #expect(file.tensorNames.contains("expected_bf16"))
    }

    @Test func integerDtypes() throws {
        let file = try ConvFixtures.file("dtypes.safetensors")
        let ints: [Int64] = [0, 1, -1, 127, -128, 42, -7, 100, 5, 9]
        #expect(try file.int64s("i64") == ints + [1 << 40, -(1 << 40)])
        #expect(try file.int64s("i32") == ints + [1 << 30, -(1 << 31)])
        #expect(try file.int64s("i16") == ints)
        #expect(try file.int64s("i8") == ints)
        #expect(try file.int64s("u8") == [0, 1, 255, 128])
        #expect(try file.int64s("bool") == [1, 0, 1])
    }

    @Test func scalarsAndEmptyTensors() throws {
        let file = try ConvFixtures.file("dtypes.safetensors")
        #expect(file.shape("scalar") == [])
        #expect(try file.floats("scalar") == [2.5])
        #expect(file.shape("empty") == [0, 3])
        #expect(try file.floats("empty").isEmpty)
    }

    @Test func wrongDtypeAndMissingNamesAreTypedErrors() throws {
        let file = try ConvFixtures.file("dtypes.safetensors")
        #expect(throws: SafeTensorsError.self) { try file.floats("i64") }
        #expect(throws: SafeTensorsError.self) { try file.int64s("f32") }
        do {
            _ = try file.floats("nope")
            Issue.record("missing tensor accepted")
        } catch {
            #expect(error == .missingTensor(name: "nope", path: file.path))
            #expect(error.description.contains("'nope' not found"))
        }
        #expect(file.shape("nope") == nil)
    }

    @Test func halfConversionEdgeCases() {
        #expect(halfToFloat(0x3C00) == 1)
        #expect(halfToFloat(0xC000) == -2)
        #expect(halfToFloat(0x7BFF) == 65504)
        #expect(halfToFloat(0x0001) == 0x1p-24)
        #expect(halfToFloat(0x8000).sign == .minus)
        #expect(halfToFloat(0x7C00) == .infinity)
        #expect(halfToFloat(0xFC00) == -.infinity)
        #expect(halfToFloat(0x7E00).isNaN)
        #expect(halfToFloat(0x0400) == 0x1p-14)
    }

    @Test func missingFileIsACannotOpenError() {
        #expect(throws: SafeTensorsError.self) { try SafeTensorsFile(path: "/nonexistent/x.safetensors") }
        #expect(throws: SafeTensorsError.self) { try SafeTensorsFile(path: ConvFixtures.directory) }
    }
}
