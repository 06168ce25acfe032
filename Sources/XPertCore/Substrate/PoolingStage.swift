/// The max-pooling units after a layer, shared by every substrate: the units tabulated per
/// window once, and the one place that prices a layer's pooling.
public struct PoolingStage: Sendable {
    /// Units per window (index window - 1), up to `maxTabulatedWindow`.
    let units: [MaxPool]
    let bits: Int
    let technology: Technology
    static let maxTabulatedWindow = 64

    public init(bits: Int, technology: Technology) {
        self.bits = bits
        self.technology = technology
        units = (1...Self.maxTabulatedWindow).map { MaxPool(window: $0, bits: bits, technology: technology) }
    }

    /// A pooling unit for `window` values.
    func unit(window: Int) -> MaxPool {
        window <= units.count ? units[window - 1] : MaxPool(window: window, bits: bits, technology: technology)
    }

    /// Adds the layer's pooling (if any) to `cost`: one unit per compute group (`groups`: PEs
    /// or arrays) in area, one operation per pooled output in energy, the groups in parallel.
    func price(_ layer: Layer, outChannels: Int, groups: Int, into cost: inout LayerCost) {
        guard let pooling = layer.pooling else { return }
        let window = pooling.window(height: layer.outputHeight, width: layer.outputWidth)
        let pooled = pooling.output(height: layer.outputHeight, width: layer.outputWidth)!
        let u = unit(window: window)
        let operations = Double(pooled.height * pooled.width * outChannels)
        cost.areaUM2[.other] = Double(groups) * u.areaUM2
        cost.energyPJ[.other] = operations * u.energyPJ
        cost.latencyNS[.other] = (operations / Double(groups)).rounded(.up) * u.latencyNS
    }
}
