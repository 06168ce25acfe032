import Foundation
import PropertyBased
import Testing
@testable import XPertCore

@Suite("Layer mapping and composition")
struct ArchitectureTests {
    static let vgg16 = try! SearchSpace.load(path: Fixtures.spacePath("vgg16-cifar10"))

    func cost(_ space: SearchSpace, layer: Int, inChannels: Int, _ d: LayerDesign) -> LayerCost {
        CrossbarArchitecture(space: space).cost(of: space.workload.layers[layer], inChannels: inChannels, design: d)
    }

    @Test func vgg16Conv9Mapping() {
        // 512 x 3 x 3 = 4608 rows -> 36 row blocks; 512 outputs x 7 slices x 2 (differential) = 7168 columns -> 56.
        let d = LayerDesign(outChannels: 512, adcType: .sar, adcBits: 8, columnSharing: 8, inputBits: 8)
        let c = cost(Self.vgg16, layer: 8, inChannels: 512, d)
        #expect(c.crossbars == 36 * 56)
        #expect(c.adcs == 36 * 56 * 16)
        #expect(c.tiles == (36 * 56 + 15) / 16)
        #expect(c.macs == 4 * 4 * 4608 * 512)
        // Every output position, input bit, row block and used column is one conversion.
        #expect(c.adcConversions == 16 * 8 * 36 * 7168)
    }

    @Test func offsetSchemeKeepsAReferenceColumn() throws {
        var space = try Fixtures.smallSpace()
        space.hardware.signScheme = .offset
        let arch = CrossbarArchitecture(space: space)
        #expect(arch.columnsPerWeight == 8)
        #expect(arch.weightColumnsPerCrossbar == 63)
        // 16 outputs x 8 slices = 128 weight columns -> 3 column blocks of 63, each with its reference column.
        let d = LayerDesign(outChannels: 16, adcType: .sar, adcBits: 6, columnSharing: 4, inputBits: 4)
        let c = arch.cost(of: space.workload.layers[0], inChannels: 3, design: d)
        #expect(c.crossbars == 3)
        #expect(c.adcConversions == 64 * 4 * 1 * (128 + 3))
    }

    @Test func parallelRowsMultiplyReads() throws {
        var space = Self.vgg16
        let d = LayerDesign(outChannels: 128, adcType: .sar, adcBits: 8, columnSharing: 8, inputBits: 8)
        let all = cost(space, layer: 3, inChannels: 128, d)
        space.hardware.parallelRows = 32
        let quarter = cost(space, layer: 3, inChannels: 128, d)
        #expect(quarter.adcConversions == 4 * all.adcConversions)
        #expect(quarter.latencyNS[.adc] == 4 * all.latencyNS[.adc])
    }

    @Test func evaluationIsOrderFree() async {
        let space = Self.vgg16
        let arch = Substrates(space: space)
        let design = space.baseline
        let reference = arch.evaluate(design, workload: space.workload).layers
        await propertyCheck(count: 20, input: Gen.int(in: 0...Int.max)) { seed in
            var rng = SplitMix64(seed: UInt64(seed))
            let order = Array(space.workload.layers.indices).shuffled(using: &rng)
            for i in order {
                let c = arch.cost(of: space.workload.layers[i],
                                  inChannels: space.workload.inChannels(of: i, outChannels: design.outChannels),
                                  design: design.layers[i])
                #expect(c == reference[i])
            }
        }
    }

    /// Random layer options of the VGG16 space, for the monotonicity properties.
    static let optionGen = zip(Gen.int(in: 0...12), Gen.int(in: 0...3), Gen.int(in: 0...2), Gen.int(in: 0...3))

    @Test func moreInputBitsCostMoreTimeAndEnergy() async {
        await propertyCheck(count: 100, input: Self.optionGen) { layer, c, bits, sharing in
            let space = Self.vgg16
            let inC = layer == 0 ? 3 : [64, 128, 256, 512][c]
            var d = LayerDesign(outChannels: [64, 128, 256, 512][c], adcType: .sar, adcBits: 4 + bits,
                                columnSharing: [2, 4, 8, 16][sharing], inputBits: 4)
            let low = cost(space, layer: layer, inChannels: inC, d)
            d.inputBits = 8
            let high = cost(space, layer: layer, inChannels: inC, d)
            #expect(high.energyPJ.total > low.energyPJ.total)
            #expect(high.latencyNS.total > low.latencyNS.total)
            #expect(high.areaUM2[.adc] == low.areaUM2[.adc])
        }
    }

    @Test func adcBitsAndSharingTradeAreaForTime() async {
        await propertyCheck(count: 100, input: Self.optionGen) { layer, c, bits, sharing in
            let space = Self.vgg16
            let inC = layer == 0 ? 3 : [64, 128, 256, 512][c]
            for type in ADCType.allCases {
                let d = LayerDesign(outChannels: [64, 128, 256, 512][c], adcType: type, adcBits: 4 + bits,
                                    columnSharing: [2, 4, 8, 16][sharing], inputBits: 6)
                var moreBits = d
                moreBits.adcBits += 1
                var moreSharing = d
                moreSharing.columnSharing *= 2
                let base = cost(space, layer: layer, inChannels: inC, d)
                #expect(cost(space, layer: layer, inChannels: inC, moreBits).areaUM2[.adc] > base.areaUM2[.adc])
                #expect(cost(space, layer: layer, inChannels: inC, moreBits).energyPJ[.adc] > base.energyPJ[.adc])
                let shared = cost(space, layer: layer, inChannels: inC, moreSharing)
                #expect(shared.adcs * 2 == base.adcs)
                #expect(shared.areaUM2[.adc] < base.areaUM2[.adc])
                #expect(shared.latencyNS[.adc] > base.latencyNS[.adc])
            }
        }
    }

    @Test("a smaller node makes the same design smaller", arguments: [(22, 32), (32, 45), (45, 65)])
    func nodeScaling(small: Int, large: Int) throws {
        var a = Self.vgg16, b = Self.vgg16
        a.hardware.technology = try Technology(nodeNM: small)
        b.hardware.technology = try Technology(nodeNM: large)
        let ea = Substrates(space: a).evaluate(a.baseline, workload: a.workload).totals
        let eb = Substrates(space: b).evaluate(b.baseline, workload: b.workload).totals
        #expect(ea.areaMM2 < eb.areaMM2)
        #expect(ea.energyUJ < eb.energyUJ)
    }

    @Test func totalsAreSumsOfLayers() {
        let space = Self.vgg16
        let e = Substrates(space: space).evaluate(space.baseline, workload: space.workload)
        let energy = e.layers.reduce(0) { $0 + $1.energyPJ.total }
        #expect(abs(e.totals.energyUJ - energy / 1e6) <= 1e-12 * energy)
        #expect(abs(e.totals.topsPerW - e.totals.ops / energy) <= 1e-9 * e.totals.topsPerW)
        #expect(abs(e.totals.edap - e.totals.energyUJ * e.totals.latencyMS * e.totals.areaMM2) <= 1e-9 * e.totals.edap)
    }
}
