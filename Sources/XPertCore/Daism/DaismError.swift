/// DAISM as a `Substrate`: its costs (`DaismCost.swift`) and its functional error, a
/// product-table kernel: every multiply of a layer's data looked up in the variant's table of
/// approximate products.
extension DaismArray: Substrate {
    public var kind: SubstrateKind { .daism }

    /// The variant and the operand bits: both change the product.
    public func errorKey(of option: SubstrateOption) -> ErrorKey {
        precondition(option.substrate == .daism)
        return ErrorKey(substrate: .daism, values: option.values)
    }

    /// Rows of a layer's data the kernel multiplies: the first `maxRows` (synthetic rows are
    /// independent and alike, so every row adds signal and error power alike).
    public static let maxRows = 1024

    /// The NSR of each layer at each key: the layer's outputs with every product approximated
    /// and the operands cut to n bits (weight magnitudes rounded, activations truncated to their
    /// top n bits, as a bit-serial crossbar's input bits), against the exact integer product at
    /// the workload's weight and activation bits.
    public func measureErrors(layers: [FunctionalLayer], keys: Set<ErrorKey>, settings: NoiseSettings,
                              threads: Int) -> [[ErrorKey: NoiseEstimate]] {
        let sortedKeys = keys.sorted()
        let tables = Dictionary(uniqueKeysWithValues: sortedKeys.map { key in
            let (v, n) = DaismOption.fields(of: SubstrateOption(substrate: .daism, values: key.values))
            return (key, DaismProductTable(variant: v, bits: n))
        })
        let tasks = layers.indices.flatMap { l in sortedKeys.map { (l, $0) } }
        let sums = ParallelMap.map(count: tasks.count, threads: threads) { i -> NSRAccumulator in
            let (l, key) = tasks[i]
            return Self.measure(layers[l], table: tables[key]!, weightBits: weightBits, activationBits: activationBits)
        }
        var out = layers.map { _ in [ErrorKey: NoiseEstimate]() }
        for (i, task) in tasks.enumerated() {
            out[task.0][task.1] = NoiseEstimate(settings.reference == .float ? sums[i].vsFloat : sums[i].vsActivationBits)
        }
        return out
    }

    /// One layer's NSR under one product table, against the exact integer product.
    static func nsr(_ layer: FunctionalLayer, table: DaismProductTable, weightBits: Int, activationBits: Int) -> Double {
        measure(layer, table: table, weightBits: weightBits, activationBits: activationBits).nsrVsActivationBits
    }

    /// One layer's error sums under one product table, against the exact integer product and
    /// the float product (one unit per output column).
    static func measure(_ layer: FunctionalLayer, table: DaismProductTable, weightBits: Int, activationBits: Int) -> NSRAccumulator {
        let n = table.bits
        let weights = QuantisedWeights(layer.weights, bits: weightBits)
        let scale = QuantisedActivations.scale(of: layer.calibration ?? layer.activations, bits: activationBits)
        let acts = QuantisedActivations(layer.activations, bits: activationBits, scale: scale)
        let rows = min(weights.rows, maxRows)
        let magnitudeBits = weightBits - 1
        let wShift = max(0, magnitudeBits - n), aShift = max(0, activationBits - n)
        let maxMagnitude = Int32((1 << n) - 1)
        var sums = NSRAccumulator()
        // The float reference over the rows the kernel multiplies.
        let reference = FloatReference.products(layer.weights.prefix(outputs: weights.outputs, rows: rows),
                                                layer.activations.prefix(rows: rows), scale: weights.scale * scale)
        var magnitude = [Int32](repeating: 0, count: rows), sign = [Int64](repeating: 0, count: rows)
        var reduced = [Int](repeating: 0, count: rows)
        table.products.withUnsafeBufferPointer { products in
            for o in 0..<weights.outputs {
                let base = o * weights.rows
                for r in 0..<rows {
                    let w = weights.values[base + r]
                    sign[r] = w < 0 ? -1 : 1
                    let m = abs(w)
                    magnitude[r] = wShift == 0 ? m : min(maxMagnitude, (m + (1 << (wShift - 1))) >> wShift)
                }
                var (e, sig, eF, sigF) = (0.0, 0.0, 0.0, 0.0)
                for s in 0..<acts.count {
                    let aBase = s * acts.rows
                    var exact: Int64 = 0, approx: Int64 = 0
                    for r in 0..<rows {
                        let a = acts.values[aBase + r]
                        exact += Int64(weights.values[base + r]) * Int64(a)
                        reduced[r] = Int(a >> UInt32(aShift))
                        approx += sign[r] * Int64(products[Int(magnitude[r]) << n | reduced[r]])
                    }
                    let y = Double(approx) * Double(1 << (wShift + aShift))
                    e += (y - Double(exact)) * (y - Double(exact))
                    sig += Double(exact) * Double(exact)
                    let f = reference[s * weights.outputs + o]
                    eF += (y - f) * (y - f)
                    sigF += f * f
                }
                sums.vsActivationBits.addUnit(error: e, signal: sig)
                sums.vsFloat.addUnit(error: eF, signal: sigF)
                sums.outputs += acts.count
            }
        }
        return sums
    }
}
