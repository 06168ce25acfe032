/// One precision option of the functional simulation.
public struct PrecisionOption: Sendable, Hashable, Comparable, CustomStringConvertible {
    public var inputBits: Int
    public var adcBits: Int

    public init(inputBits: Int, adcBits: Int) {
        self.inputBits = inputBits
        self.adcBits = adcBits
    }

    public static func < (a: PrecisionOption, b: PrecisionOption) -> Bool {
        (a.inputBits, a.adcBits) < (b.inputBits, b.adcBits)
    }

    public var description: String { "I\(inputBits)/ADC\(adcBits)" }
}

/// The simulated outputs of one option on a set of activation vectors. Outputs are indexed
/// `[n * outputs + o]`.
public struct FunctionalOutput: Sendable {
    public let option: PrecisionOption
    public let outputs: Int
    public let count: Int
    /// The simulated product in the `inputBits` integer scale (it estimates `exact`); an
    /// integer whenever the ADC is exact. Float output = `value * weightScale * activationScale
    /// * 2^(activationBits - inputBits)`.
    public let values: [Double]
    /// `W_q . x` with `x = a >> (activationBits - inputBits)` (exact integers).
    public let exact: [Int64]
    /// `W_q . a` with the `activationBits` codes `a` (exact integers).
    public let exactActivation: [Int64]
    public let measurement: NSRAccumulator

    /// NSR against `exact` (ADC noise only).
    public var nsr: Double { measurement.nsr }
    /// NSR against `exactActivation` (ADC noise plus the dropped input bits).
    public var nsrVsActivationBits: Double { measurement.nsrVsActivationBits }
}

/// The bit-exact functional model of a layer's matrix-vector products on the bit-sliced
/// crossbar (DESIGN.md, "Accuracy"):
///
/// - weights: `QuantisedWeights` codes; differential stores `max(w, 0)` and `max(-w, 0)` on
///   two columns per slice (`Wb - 1` magnitude bits), offset stores `w + 2^(Wb-1)` (`Wb` bits)
///   and subtracts `2^(Wb-1) * sum(x)` digitally (exactly); magnitudes are cut into
///   `ceil(bits / c)` slices of `c` bits, least significant first;
/// - rows: blocks of `crossbarRows`, each read `parallelRows` at a time (row groups);
/// - inputs: the top `inputBits` bit planes of the `activationBits` codes, one per cycle;
/// - every (plane, row group, column) sum goes through the ADC (`ADCQuantiser`), then
///   shift-and-add over planes and slices, sum over row groups and blocks, sign columns
///   subtracted.
public struct FunctionalSimulator: Sendable {
    public let weights: QuantisedWeights
    public let geometry: CrossbarGeometry
    let packed: PackedWeights

    public init(weights: QuantisedWeights, geometry: CrossbarGeometry) {
        self.weights = weights
        self.geometry = geometry
        packed = PackedWeights(weights, geometry: geometry)
    }

    /// Binary (1-bit input x 1-bit cell) multiply-accumulates of one run over `samples`
    /// vectors of `activationBits` planes.
    public func binaryMACs(samples: Int, activationBits: Int) -> Int {
        samples * activationBits * weights.rows * weights.outputs * packed.signColumns * packed.slices * geometry.bitsPerCell
    }

    /// One option on `activations`, with outputs. `calibration` sets a calibrated ADC's clip
    /// (nil: the activations themselves); quantise it with the same scale as `activations`.
    public func simulate(_ activations: QuantisedActivations, option: PrecisionOption, range: ADCRange = .fullScale,
                         calibration: QuantisedActivations? = nil) -> FunctionalOutput {
        let kernel = makeKernel(activations, options: [option], range: range, calibration: calibration)
        let r = kernel.run(samples: 0..<activations.count, record: true)
        return FunctionalOutput(option: option, outputs: weights.outputs, count: activations.count, values: r.outputs[0],
                                exact: r.exactInput[0], exactActivation: r.exactActivation, measurement: r.stats[0])
    }

    /// Sums of squares of every option (in order) over `activations`, on the calling thread.
    public func measure(_ activations: QuantisedActivations, options: [PrecisionOption], range: ADCRange = .fullScale,
                        calibration: QuantisedActivations? = nil) -> [NSRAccumulator] {
        makeKernel(activations, options: options, range: range, calibration: calibration)
            .run(samples: 0..<activations.count, record: false).stats
    }

    func makeKernel(_ activations: QuantisedActivations, options: [PrecisionOption], range: ADCRange,
                    calibration: QuantisedActivations?) -> FunctionalKernel {
        precondition(activations.rows == weights.rows, "activation vectors must have one value per weight row")
        let inputs = PackedInputs(activations, layout: packed.layout)
        var clips: [Int: Int]?
        if case let .calibrated(percentile) = range {
            let calibrationInputs = calibration.map { PackedInputs($0, layout: packed.layout) } ?? inputs
            precondition(calibrationInputs.planes == inputs.planes, "calibration samples need the same activation bits")
            let histogram = Self.histogram(packed, calibrationInputs, samples: 0..<calibrationInputs.count)
            clips = Self.clips(histogram: histogram, planes: inputs.planes, range: geometry.fullScaleSum,
                               inputBits: Set(options.map(\.inputBits)), percentile: percentile)
        }
        let plan = QuantiserPlan(options: options.map { ($0.inputBits, $0.adcBits) }, activationBits: activations.bits,
                                 range: geometry.fullScaleSum, clips: clips)
        return FunctionalKernel(weights: packed, inputs: inputs, plan: plan)
    }

    static func histogram(_ packed: PackedWeights, _ inputs: PackedInputs, samples: Range<Int>) -> [Int] {
        let plan = QuantiserPlan(options: [], activationBits: inputs.planes, range: packed.geometry.fullScaleSum, clips: nil)
        return FunctionalKernel(weights: packed, inputs: inputs, plan: plan).histogram(samples: samples)
    }

    /// Per input bits `I`: the percentile clip of the sums of planes `A - I ..< A`.
    static func clips(histogram: [Int], planes: Int, range: Int, inputBits: Set<Int>, percentile: Double) -> [Int: Int] {
        var clips: [Int: Int] = [:]
        for i in inputBits {
            var merged = [Int](repeating: 0, count: range + 1)
            for q in (planes - i)..<planes {
                for s in 0...range { merged[s] += histogram[q * (range + 1) + s] }
            }
            clips[i] = QuantiserPlan.clip(histogram: merged, percentile: percentile)
        }
        return clips
    }
}
