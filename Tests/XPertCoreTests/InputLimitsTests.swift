import Foundation
import Testing
@testable import XPertCore

/// Inputs beyond what the models can count exactly, or that would run without bound, are
/// refused when the space is read, at their own JSON path, in one short line.
@Suite("Input limits and messages")
struct InputLimitsTests {
    static func error(_ text: String) -> InputError? {
        do {
            _ = try SearchSpace.read(try JSONDocument.parse(Data(text.utf8)))
            return nil
        } catch let e as InputError { return e } catch { return InputError(path: "?", "\(error)") }
    }

    /// The small space's text with `old` replaced by `new`.
    static func small(_ old: String, _ new: String) -> String {
        precondition(Fixtures.smallSpaceText.contains(old))
        return Fixtures.smallSpaceText.replacingOccurrences(of: old, with: new)
    }

    @Test("numbers out of a double's range are refused at their own path",
          arguments: ["1e400", "-1e400", String(repeating: "9", count: 400)])
    func hugeNumbers(number: String) throws {
        let e = try #require(Self.error(Self.small("\"kernel\": 3, \"padding\": 1, \"out_channels\": {\"choices\": [8, 16]}",
                                                   "\"kernel\": \(number), \"padding\": 1, \"out_channels\": {\"choices\": [8, 16]}")))
        #expect(e.path == "$.workload.layers[0].kernel")
        #expect(e.description.count < 160, "\(e)")
        #expect(!e.description.contains("9999999999"))
    }

    @Test func aHugePositiveBudgetIsAccepted() throws {
        #expect(Self.error(Self.small("\"area_mm2\": 50", "\"area_mm2\": 1e10")) == nil)
        #expect(Self.error(Self.small("\"area_mm2\": 50", "\"area_mm2\": 1e300")) == nil)
        let inf = try #require(Self.error(Self.small("\"area_mm2\": 50", "\"area_mm2\": 1e999")))
        #expect(inf.path == "$.constraints.area_mm2")
    }

    @Test("strings are echoed as one short escaped line", arguments: [
        ("\"name\": \"c1\"", "\"name\": \"c\\nstill c\""),
        ("\"name\": \"c1\"", "\"name\": \"" + String(repeating: "x", count: 500) + "\""),
        ("\"cell\": \"rram-1t1r\"", "\"cell\": \"" + String(repeating: "y", count: 500) + "\\n\""),
        ("\"technology_nm\": 32,", "\"technology_nm\": 32, \"" + String(repeating: "k", count: 300) + "\\r\": 1,"),
    ])
    func shortMessages(old: String, new: String) throws {
        let e = try #require(Self.error(Self.small(old, new)))
        #expect(!e.description.contains("\n") && !e.description.contains("\r"), "\(e)")
        #expect(e.description.count < 300, "\(e)")
    }

    @Test func weightBitsOfOneAreRefused() throws {
        let e = try #require(Self.error(Self.small("\"weight_bits\": 8", "\"weight_bits\": 1")))
        #expect(e.path == "$.workload.weight_bits")
        #expect(Self.error(Self.small("\"weight_bits\": 8", "\"weight_bits\": 2")) == nil)
    }

    @Test func tooManyLayers() throws {
        let extra = String(repeating: "{\"type\": \"conv\", \"kernel\": 1, \"out_channels\": 8},", count: SpaceLimits.maxLayers)
        let e = try #require(Self.error(Self.small("\"layers\": [", "\"layers\": [" + extra)))
        #expect(e.path == "$.workload.layers")
    }

    @Test func tooManyChannelChoices() throws {
        let list = (1...65).map(String.init).joined(separator: ", ")
        let e = try #require(Self.error(Self.small("{\"choices\": [8, 16]}", "{\"choices\": [\(list)]}")))
        #expect(e.path == "$.workload.layers[0].out_channels.choices")
    }

    @Test func layersBeyondTwoToTheFiftyMACsAreRefused() throws {
        let big = Self.small("\"input\": {\"height\": 8, \"width\": 8, \"channels\": 3}", "\"input\": {\"height\": 65536, \"width\": 65536, \"channels\": 3}")
            .replacingOccurrences(of: "{\"name\": \"fc\", \"type\": \"linear\", \"out_channels\": 10}",
                                  with: "{\"name\": \"fc\", \"type\": \"linear\", \"out_channels\": 1000000}")
        let e = try #require(Self.error(big))
        #expect(e.path.hasPrefix("$.workload.layers["))
        #expect(e.message.contains("2^50"))
    }

    @Test func noiseWorkIsBounded() throws {
        let withAccuracy = Self.small("\"constraints\": {\"area_mm2\": 50}",
                                      "\"constraints\": {\"area_mm2\": 50}, \"accuracy\": {\"estimator\": \"proxy\", \"baseline_accuracy_pct\": 90, \"noise\": {\"samples\": 5000}}")
        #expect(try #require(Self.error(withAccuracy)).path == "$.accuracy.noise.samples")
        let heavy = Self.small("\"constraints\": {\"area_mm2\": 50}",
                               "\"constraints\": {\"area_mm2\": 50}, \"accuracy\": {\"estimator\": \"proxy\", \"baseline_accuracy_pct\": 90, "
                                   + "\"noise\": {\"samples\": 4096, \"columns\": 1024, \"adc_range\": \"calibrated\"}}")
            .replacingOccurrences(of: "\"out_channels\": 32}", with: "\"out_channels\": {\"choices\": [1024, 2048]}}")
            .replacingOccurrences(of: "\"type\": \"linear\", \"out_channels\": 10", with: "\"type\": \"linear\", \"out_channels\": 1024")
        #expect(try #require(Self.error(heavy)).path == "$.accuracy.noise.samples")
    }

    /// A large layer's noise simulation runs on its first whole row blocks.
    @Test func simulatedRowsAreCapped() {
        #expect(NoiseTables.simulatedRows(4608, crossbarRows: 128) == 4608)
        #expect(NoiseTables.simulatedRows(1_000_000, crossbarRows: 128) == SpaceLimits.maxSimulatedRows)
        #expect(NoiseTables.simulatedRows(1_000_000, crossbarRows: 4096) == 8192)
    }

    @Test func fixedPointKeepsItsResolutionUnlessATotalWouldOverflow() {
        let normal = FixedPoint(resolution: 1000, largestTotal: 1e12)
        #expect(normal.unitsPerValue == 1000)
        let huge = FixedPoint(resolution: 1000, largestTotal: 1e20)
        #expect(huge.unitsPerValue < 1000 && 1e20 * huge.unitsPerValue <= FixedPoint.maxTotalUnits)
        #expect(normal.budget(1e30) == nil)
        #expect(normal.budget(1.5) == 1500)
    }

    @Test func searchWithAHugeAreaBudget() throws {
        let space = try SearchSpace.read(try JSONDocument.parse(Data(Self.small("\"area_mm2\": 50", "\"area_mm2\": 1e10").utf8)))
        let run = try SearchRun.run(space: space, threads: 2)
        #expect(!run.frontier.isEmpty)
    }
}
