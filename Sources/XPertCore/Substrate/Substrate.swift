/// A substrate's model at one space's hardware and number formats: what a layer option costs,
/// what its functional error depends on, and how that error is measured. A substrate is its own
/// folder (the crossbar: `Crossbar/`) conforming to this, plus one registration in
/// `SubstrateKind` and `Substrates`; the search sees only the costs and errors it returns.
public protocol Substrate: Sendable {
    /// The substrate this model prices.
    var kind: SubstrateKind { get }

    /// The cost of `layer` reading `inChannels` input channels with `outChannels` outputs under
    /// `option` (one of this substrate's), per inference.
    func cost(of layer: Layer, inChannels: Int, outChannels: Int, option: SubstrateOption) -> LayerCost

    /// The key of the option's functional error: options with equal keys have the same error on
    /// the same layer shape, so the noise tables measure each key once per shape.
    func errorKey(of option: SubstrateOption) -> ErrorKey

    /// The noise-to-signal ratio of each layer's data (`layers`, in order) at every key of
    /// `keys` (this substrate's), with its standard error, measured against the reference of
    /// `settings` (the float product, or the exact integer product at the workload's
    /// activation bits). Deterministic for any `threads`.
    func measureErrors(layers: [FunctionalLayer], keys: Set<ErrorKey>, settings: NoiseSettings, threads: Int) -> [[ErrorKey: NoiseEstimate]]
}
