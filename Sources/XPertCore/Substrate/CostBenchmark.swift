import Dispatch

/// Throughput of the layer cost model: every layer option of a space costed in a loop on
/// the calling thread, repeated; the median repetition is reported.
public struct CostBenchmark: Sendable, CustomStringConvertible {
    public let optionsPerPass: Int
    public let evaluationsPerSecond: [Double]
    /// Sum of all costed energies, printed so that the work cannot be optimised away.
    public let checksum: Double

    public var medianPerSecond: Double {
        let sorted = evaluationsPerSecond.sorted()
        return sorted[sorted.count / 2]
    }

    public var description: String {
        let rates = evaluationsPerSecond.map { String(Int($0)) }.joined(separator: " ")
        return """
            layer-option cost evaluations: \(optionsPerPass) per pass over the space
            one core, median of \(evaluationsPerSecond.count): \(Int(medianPerSecond)) evaluations/s (runs: \(rates))
            checksum: \(checksum)
            """
    }

    public static func run(space: SearchSpace, minimumSeconds: Double, repetitions: Int) -> CostBenchmark {
        let substrates = Substrates(space: space)
        let workload = space.workload
        let options = LayerOptionSpace.of(workload)
        let inChoices = workload.layers.indices.map(workload.inChannelChoices(of:))
        let perPass = zip(options, inChoices).reduce(0) { $0 + $1.0.count * $1.1.count }
        var rates: [Double] = []
        var checksum = 0.0
        for _ in 0..<max(1, repetitions) {
            var evaluations = 0
            let start = DispatchTime.now().uptimeNanoseconds
            var elapsed = 0.0
            repeat {
                for (i, layerOptions) in options.enumerated() {
                    let layer = workload.layers[i]
                    for cin in inChoices[i] {
                        layerOptions.forEach { _, design in
                            let c = substrates.cost(of: layer, inChannels: cin, design: design)
                            checksum += c.energyPJ.total + c.latencyNS.total + c.areaUM2.total
                        }
                    }
                }
                evaluations += perPass
                elapsed = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
            } while elapsed < minimumSeconds
            rates.append(Double(evaluations) / elapsed)
        }
        return CostBenchmark(optionsPerPass: perPass, evaluationsPerSecond: rates, checksum: checksum)
    }
}
