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
    /// NSR against the float product (0 when the simulation had no float reference).
    public var nsrVsFloat: Double { measurement.nsrVsFloat }
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
    /// `reference`: the float products (`FloatReference.products`) the output is also measured against.
    public func simulate(_ activations: QuantisedActivations, option: PrecisionOption, range: ADCRange = .fullScale,
                         calibration: QuantisedActivations? = nil, reference: [Double]? = nil) -> FunctionalOutput {
        let kernel = makeKernel(activations, options: [option], range: range, calibration: calibration, reference: reference)
        let r = kernel.run(samples: 0..<activations.count, record: true)
        return FunctionalOutput(option: option, outputs: weights.outputs, count: activations.count, values: r.outputs[0],
                                exact: r.exactInput[0], exactActivation: r.exactActivation, measurement: r.stats[0])
    }

    /// Sums of squares of every option (in order) over `activations`, on the calling thread.
    public func measure(_ activations: QuantisedActivations, options: [PrecisionOption], range: ADCRange = .fullScale,
                        calibration: QuantisedActivations? = nil, reference: [Double]? = nil) -> [NSRAccumulator] {
        makeKernel(activations, options: options, range: range, calibration: calibration, reference: reference)
            .run(samples: 0..<activations.count, record: false).stats
    }

    func makeKernel(_ activations: QuantisedActivations, options: [PrecisionOption], range: ADCRange,
                    calibration: QuantisedActivations?, reference: [Double]? = nil) -> FunctionalKernel {
        precondition(activations.rows == weights.rows, "activation vectors must have one value per weight row")
        let inputs = PackedInputs(activations, layout: packed.layout)
        var tops: [PrecisionOption: Int]?
        if case let .calibrated(percentile) = range {
            let calibrationInputs = calibration.map { PackedInputs($0, layout: packed.layout) } ?? inputs
            precondition(calibrationInputs.planes == inputs.planes, "calibration samples need the same activation bits")
            let histogram = Self.histogram(packed, calibrationInputs, samples: 0..<calibrationInputs.count)
            tops = Self.calibratedTops(histogram: histogram, slices: packed.slices, bitsPerCell: geometry.bitsPerCell,
                                       planes: inputs.planes, range: geometry.fullScaleSum, options: options, percentile: percentile)
        }
        let plan = QuantiserPlan(options: options.map { ($0.inputBits, $0.adcBits) }, activationBits: activations.bits,
                                 range: geometry.fullScaleSum, tops: tops)
        return FunctionalKernel(weights: packed, inputs: inputs, plan: plan, reference: reference)
    }

    static func histogram(_ packed: PackedWeights, _ inputs: PackedInputs, samples: Range<Int>) -> [Int] {
        let plan = QuantiserPlan(options: [], activationBits: inputs.planes, range: packed.geometry.fullScaleSum, tops: nil)
        return FunctionalKernel(weights: packed, inputs: inputs, plan: plan).histogram(samples: samples)
    }

    /// Per option `(I, b)`: a calibrated ADC's top sum. The clip is the percentile of the sums of
    /// planes `A - I ..< A`; within it, the top with the least squared output error
    /// (`ADCQuantiser.bestTop`; a read's error reaches the output shifted by its plane and
    /// slice, so slice `s`, plane `q` sums weigh `4^(s c + q)`). `histogram` is
    /// `FunctionalKernel.histogram`'s, over `slices` slices of `bitsPerCell` bits.
    static func calibratedTops(histogram: [Int], slices: Int, bitsPerCell: Int, planes: Int, range: Int,
                               options: [PrecisionOption], percentile: Double) -> [PrecisionOption: Int] {
        precondition(histogram.count == slices * planes * (range + 1))
        var tops: [PrecisionOption: Int] = [:]
        for i in Set(options.map(\.inputBits)) {
            var merged = [Int](repeating: 0, count: range + 1)
            var weighted = [Double](repeating: 0, count: range + 1)
            for slice in 0..<slices {
                for q in (planes - i)..<planes {
                    let weight = Double(sign: .plus, exponent: 2 * (slice * bitsPerCell + q - planes + i), significand: 1)
                    let base = (slice * planes + q) * (range + 1)
                    for s in 0...range where histogram[base + s] > 0 {
                        merged[s] += histogram[base + s]
                        weighted[s] += weight * Double(histogram[base + s])
                    }
                }
            }
            let clip = QuantiserPlan.clip(histogram: merged, percentile: percentile)
            for option in options where option.inputBits == i {
                let levels = (1 << option.adcBits) - 1
                tops[option] = levels >= range ? range : ADCQuantiser.bestTop(histogram: weighted, levels: levels, clip: clip)
            }
        }
        return tops
    }
}
