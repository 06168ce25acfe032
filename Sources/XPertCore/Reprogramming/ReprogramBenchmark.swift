import Dispatch

/// `xpert bench SPACE --reprogram`: on one thread, the baseline design's weights made and
/// quantised, its contents packed, and each policy's count on a chip of a quarter of the
/// crossbars it needs (or the space's chip); medians over repetitions.
public struct ReprogramBenchmark: Sendable, CustomStringConvertible {
    public var crossbars: Int
    public var chip: Int
    public var storedBits: Int
    public var weightsSeconds: Double
    public var packSeconds: Double
    /// Per policy: the count's seconds (a policy's own packing of sorted contents not included).
    public var policySeconds: [(policy: ReprogramPolicy, seconds: Double)]

    public static func run(space: SearchSpace, repetitions: Int) throws -> ReprogramBenchmark {
        func time<T>(_ body: () throws -> T) rethrows -> (T, Double) {
            let start = DispatchTime.now().uptimeNanoseconds
            let v = try body()
            return (v, Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
        }
        func median(_ xs: [Double]) -> Double { xs.sorted()[xs.count / 2] }
        let design = space.baseline
        let geometry = CrossbarGeometry(hardware: space.hardware)
        var weightTimes: [Double] = [], packTimes: [Double] = []
        var policyTimes = [[Double]](repeating: [], count: ReprogramPolicy.allCases.count)
        var result = ReprogramBenchmark(crossbars: 0, chip: 0, storedBits: 0, weightsSeconds: 0, packSeconds: 0, policySeconds: [])
        for _ in 0..<repetitions {
            let (weights, tw) = try time { try DesignContents.weights(space: space, design: design, threads: 1) }
            let layers = weights.map { ($0.layer, $0.weights, [Int32]?.none) }
            let (plain, tp) = time { ChipContents(layers: layers, geometry: geometry) }
            let sorted = ChipContents(layers: layers.map { ($0.0, $0.1, ChipContents.sortedRowOrder($0.1)) }, geometry: geometry)
            let chip = space.hardware.chipCrossbars ?? max(1, plain.count / 4)
            let plainSchedule = ChipSchedule(logical: plain.count, physical: chip)
            let sortedSchedule = ChipSchedule(logical: plain.count, physical: chip, keys: ChipSchedule.magnitudeKeys(sorted))
            for (i, policy) in ReprogramPolicy.allCases.enumerated() {
                let (_, t) = time {
                    ReprogramSimulation(contents: policy.sortsRows ? sorted : plain, schedule: policy.sortsRows ? sortedSchedule : plainSchedule,
                                        policy: policy, stuckColumns: policy == .sortedStuck ? space.reprogramming.stuckColumns : 0,
                                        stuckFraction256: space.reprogramming.stuckFraction256, seed: space.reprogramming.seed, threads: 1)
                }
                policyTimes[i].append(t)
            }
            weightTimes.append(tw)
            packTimes.append(tp)
            result.crossbars = plain.count
            result.chip = chip
            result.storedBits = plain.words.count * 64
        }
        result.weightsSeconds = median(weightTimes)
        result.packSeconds = median(packTimes)
        result.policySeconds = zip(ReprogramPolicy.allCases, policyTimes).map { ($0, median($1)) }
        return result
    }

    public var description: String {
        var lines = ["baseline design: \(crossbars) crossbars (\(storedBits / 8 / 1_048_576) MiB packed) on a chip of \(chip), one thread, medians:",
                     String(format: "  weights made and quantised: %.3f s", weightsSeconds),
                     String(format: "  contents packed: %.3f s", packSeconds)]
        for (p, s) in policySeconds { lines.append(String(format: "  count %@: %.3f s", p.rawValue, s)) }
        return lines.joined(separator: "\n")
    }
}
