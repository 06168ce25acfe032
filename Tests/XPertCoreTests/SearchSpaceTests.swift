import Foundation
import Testing
@testable import XPertCore

@Suite("Search-space reading and validation")
struct SearchSpaceTests {
    @Test("the shipped search spaces read and validate", arguments: ["vgg16-cifar10", "vgg8-cifar10", "resnet18-tinyimagenet"])
    func shippedSpaces(name: String) throws {
        let space = try SearchSpace.load(path: Fixtures.spacePath(name))
        #expect(space.name == name)
        #expect(!space.workload.layers.isEmpty)
    }

    @Test func vgg16Shape() throws {
        let space = try SearchSpace.load(path: Fixtures.spacePath("vgg16-cifar10"))
        let w = space.workload
        #expect(w.layers.count == 14)
        #expect(w.layers.filter { $0.pooling != nil }.map(\.name) == ["conv2", "conv4", "conv7", "conv10"])
        // Four 2x2 pools take 32x32 to 2x2: the classifier reads 2*2*512 features.
        #expect(w.layers[13].weightRows(inChannels: 512) == 2048)
        #expect(space.baseline.outChannels == [64, 64, 128, 128, 256, 256, 256, 512, 512, 512, 512, 512, 512, 10])
    }

    @Test func resnetGroupsAndShortcuts() throws {
        let space = try SearchSpace.load(path: Fixtures.spacePath("resnet18-tinyimagenet"))
        let w = space.workload
        let down = try #require(w.index(of: "s2down"))
        #expect(w.layers[down].inputIndex == w.index(of: "s1b2b"))
        #expect(w.layers[down].outputHeight == 32)
        #expect(w.layers[down].channelGroup == "stage2")
        #expect(w.layers.last!.weightRows(inChannels: 512) == 512)
    }

    @Test func smallSpaceReads() throws {
        let s = try Fixtures.smallSpace()
        #expect(s.seed == 7)
        #expect(s.workload.layers.map(\.outputHeight) == [8, 8, 2, 1])
        #expect(s.workload.layers[3].inputHeight == 2)
        #expect(s.constraints.areaMM2 == 50)
        #expect(s.objectives == [.energy, .latency, .area])
        #expect(s.baseline.outChannels == [16, 32, 32, 10])
        #expect(s.hardware.parallelRows == 64)
    }

    /// Each broken document gives exactly one error at the expected path.
    @Test("invalid documents name the JSON path", arguments: [
        ([.key("hardware"), .key("colour")], JSONValue.string("red"), "$.hardware", "unknown key \"colour\""),
        ([.key("workload"), .key("layers"), .index(0), .key("kernel")], .number(-1), "$.workload.layers[0].kernel", "expected an integer in 1...1024, found -1"),
        ([.key("workload"), .key("layers"), .index(0), .key("kernel")], .string("3"), "$.workload.layers[0].kernel", "found \"3\""),
        ([.key("workload"), .key("layers"), .index(0), .key("kernel")], .number(11), "$.workload.layers[0].kernel", "no larger than the padded input 10x10"),
        ([.key("choices"), .key("adc_bits")], .array([]), "$.choices.adc_bits", "expected a non-empty array"),
        ([.key("choices"), .key("column_sharing"), .index(1)], .number(128), "$.choices.column_sharing[1]", "at most the crossbar's 64 columns"),
        ([.key("choices"), .key("column_sharing"), .index(1)], .number(3), "$.choices.column_sharing[1]", "a divisor"),
        ([.key("choices"), .key("input_bits"), .index(1)], .number(9), "$.choices.input_bits[1]", "1...8"),
        ([.key("hardware"), .key("crossbar"), .key("rows")], .number(100), "$.hardware.crossbar.rows", "a power of two"),
        ([.key("hardware"), .key("technology_nm")], .number(7), "$.hardware.technology_nm", "a supported node"),
        ([.key("hardware"), .key("cell")], .string("pcm"), "$.hardware.cell", "\"rram-1t1r\" or \"sram\""),
        ([.key("workload"), .key("layers"), .index(2), .key("in_channels")], .number(16), "$.workload.layers[2].in_channels", "design choice"),
        ([.key("workload"), .key("layers"), .index(1), .key("name")], .string("c1"), "$.workload.layers[1].name", "duplicate layer name"),
        ([.key("workload"), .key("layers"), .index(1), .key("input")], .string("fc"), "$.workload.layers[1].input", "an earlier layer"),
        ([.key("workload"), .key("layers"), .index(1), .key("pool"), .key("kernel")], .number(9), "$.workload.layers[1].pool", "no larger than the 8x8 output"),
        ([.key("workload"), .key("layers"), .index(3), .key("kernel")], .number(3), "$.workload.layers[3].kernel", "for a linear layer"),
        ([.key("workload"), .key("layers"), .index(0), .key("out_channels")], .number(0), "$.workload.layers[0].out_channels", "found 0"),
        ([.key("workload"), .key("input"), .key("height")], .number(2.5), "$.workload.input.height", "found 2.5"),
        ([.key("objectives")], .array([.string("power")]), "$.objectives[0]", "\"energy\" or"),
        ([.key("name")], .string("../x"), "$.name", "a name of letters"),
        ([.key("workload"), .key("layers")], nil, "$.workload.layers", "missing required key"),
    ] as [([PathStep], JSONValue?, String, String)])
    func invalidDocuments(path: [PathStep], value: JSONValue?, errorPath: String, fragment: String) throws {
        let error = try #require(Fixtures.readError(Fixtures.smallSpaceJSON.setting(path, to: value)))
        #expect(error.path == errorPath)
        #expect(error.message.contains(fragment), "message was: \(error.message)")
    }

    @Test func channelGroupsMustShareChoices() throws {
        var doc = Fixtures.smallSpaceJSON
        doc = doc.setting([.key("workload"), .key("layers"), .index(0), .key("channel_group")], to: .string("g"))
        doc = doc.setting([.key("workload"), .key("layers"), .index(1), .key("channel_group")], to: .string("g"))
        let error = try #require(Fixtures.readError(doc))
        #expect(error.path == "$.workload.layers[1].out_channels")
        #expect(error.message.contains("channel group \"g\""))
    }

    @Test func inChannelsMismatch() throws {
        var doc = Fixtures.smallSpaceJSON
        doc = doc.setting([.key("workload"), .key("layers"), .index(0), .key("out_channels")], to: .number(8))
        #expect(Fixtures.readError(doc) == nil)
        let bad = doc.setting([.key("workload"), .key("layers"), .index(1), .key("in_channels")], to: .number(4))
        let error = try #require(Fixtures.readError(bad))
        #expect(error.path == "$.workload.layers[1].in_channels")
        #expect(error.message == "expected 8 (the output of c1), found 4")
    }

    @Test func perLayerChoicesOverride() throws {
        let doc = Fixtures.smallSpaceJSON.setting([.key("workload"), .key("layers"), .index(0), .key("choices")],
                                                  to: .object([("input_bits", .array([.number(8)]))]))
        let s = try SearchSpace.read(JSONNode(doc))
        #expect(s.workload.layers[0].choices.inputBits == [8])
        #expect(s.workload.layers[0].choices.adcBits == [4, 6])
        #expect(s.workload.layers[1].choices.inputBits == [4, 8])
    }

    @Test func syntaxErrorsCarryLineAndColumn() throws {
        #expect(throws: JSONTextParser.SyntaxError.self) { try JSONValue.parse(Data("{\"a\": [1, 2,]}".utf8)) }
        do { _ = try JSONValue.parse(Data("{\n \"a\": 1,\n \"a\": 2}".utf8)); Issue.record("duplicate key accepted") } catch let e as JSONTextParser.SyntaxError {
            #expect(e.line == 3)
            #expect(e.message.contains("duplicate key"))
        }
    }

    @Test func designsRoundTrip() throws {
        let s = try Fixtures.smallSpace()
        let json = s.baseline.json(workload: s.workload)
        let back = try Design.read(JSONNode(try JSONValue.parse(Data(json.serialized().utf8))), workload: s.workload)
        #expect(back == s.baseline)
    }

    @Test func designChoicesAreChecked() throws {
        let s = try Fixtures.smallSpace()
        let json = s.baseline.json(workload: s.workload).setting([.key("layers"), .index(1), .key("adc_bits")], to: .number(5))
        #expect(throws: InputError(path: "$.layers[1].adc_bits", "expected one of the layer's choices (4, 6), found 5")) {
            try Design.read(JSONNode(json), workload: s.workload)
        }
    }
}

/// `tokens` on a linear layer: a transformer's weight layer applied to every token.
@Suite("Linear layers over tokens")
struct TokenTests {
    @Test func tokensMultiplyTheMatrixVectorProducts() throws {
        let plain = try Fixtures.smallSpace()
        let doc = Fixtures.smallSpaceJSON.setting([.key("workload"), .key("layers"), .index(3), .key("tokens")], to: .number(197))
        let tokens = try SearchSpace.read(JSONNode(doc))
        let fc = 3
        #expect(tokens.workload.layers[fc].tokens == 197 && plain.workload.layers[fc].tokens == 1)
        let a = Substrates(space: plain).evaluate(plain.baseline, workload: plain.workload).layers[fc]
        let b = Substrates(space: tokens).evaluate(tokens.baseline, workload: tokens.workload).layers[fc]
        #expect(b.macs == 197 * a.macs)
        #expect(b.adcConversions == 197 * a.adcConversions)
        #expect(b.areaUM2.total == a.areaUM2.total)        // the same weights on the same crossbars
        #expect(abs(b.energyPJ.total / a.energyPJ.total - 197) < 1e-9 * 197)
        #expect(abs(b.latencyNS.total / a.latencyNS.total - 197) < 1e-9 * 197)
    }

    @Test func tokensAreALinearLayersOnly() {
        let conv = Fixtures.smallSpaceJSON.setting([.key("workload"), .key("layers"), .index(0), .key("tokens")], to: .number(4))
        #expect(Fixtures.readError(conv)?.path == "$.workload.layers[0].tokens")
        let zero = Fixtures.smallSpaceJSON.setting([.key("workload"), .key("layers"), .index(3), .key("tokens")], to: .number(0))
        #expect(Fixtures.readError(zero)?.path == "$.workload.layers[3].tokens")
    }
}
