import Foundation

// Accuracy estimators: how a design's classification accuracy is estimated.
//
// The `accuracy` object of a search space picks one of three estimators:
//
//     {"estimator": "proxy", "baseline_accuracy_pct": 92.5, ...}    ProxyEstimator
//     {"estimator": "table", "path": "accuracy.csv", ...}            TableEstimator
//     {"estimator": "command", "argv": ["python3", "eval.py"], ...}  CommandEstimator
//
// `proxy` and `table` are pure functions of a design's channel counts and its per-layer
// noise-to-signal ratios (NSR, from `NSRTables`); `proxy` is additive over layers, so it can
// enter the phase-1 DP and the phase-2 MILP as per-(layer, option) terms. `command` calls an
// external program per design (cached on disk) and is only usable on finished designs.

/// An estimated accuracy, in percent, and its drop below the network's baseline accuracy,
/// in percentage points (`dropPct = baseline - accuracyPct`).
public struct AccuracyEstimate: Sendable, Hashable, CustomStringConvertible {
    public var accuracyPct: Double
    public var dropPct: Double

    public init(accuracyPct: Double, dropPct: Double) {
        self.accuracyPct = accuracyPct
        self.dropPct = dropPct
    }

    public var description: String { "\(accuracyPct)% (drop \(dropPct) points)" }
}

/// A configured accuracy estimator, read from a search space's `accuracy` object.
public enum AccuracyConfig: Sendable {
    case proxy(ProxyEstimator)
    case table(TableEstimator)
    case command(CommandEstimator)

    /// The estimator names the `estimator` key accepts.
    public static let estimatorNames = ["proxy", "table", "command"]

    /// Reads an `accuracy` object. Relative paths (`table`'s `path`, `command`'s `cache_dir`
    /// and a program given as a relative path) are resolved against `baseDirectory`, normally
    /// the directory of the search-space file; the command also runs there. Reading a `table`
    /// loads and checks its CSV file. Every error is an `InputError` naming its JSON path.
    /// `sharedKeys` are further keys every estimator allows (read by the caller).
    public static func read(_ node: JSONNode, workload: Workload,
                            baseDirectory: URL = URL(fileURLWithPath: FileManager.default.currentDirectoryPath, isDirectory: true),
                            sharedKeys: [String] = [])
        throws -> AccuracyConfig
    {
        let loose = try node.object(allowing: allKeys + sharedKeys)
        let kindNode = try loose.required("estimator")
        let kind = try kindNode.string(oneOf: estimatorNames)
        switch kind {
        case "proxy":
            return .proxy(try ProxyEstimator.read(node.object(allowing: ProxyEstimator.keys + sharedKeys), workload: workload))
        case "table":
            return .table(try TableEstimator.read(node.object(allowing: TableEstimator.keys + sharedKeys), workload: workload,
                                                  baseDirectory: baseDirectory))
        default:
            return .command(try CommandEstimator.read(node.object(allowing: CommandEstimator.keys + sharedKeys), workload: workload,
                                                      baseDirectory: baseDirectory))
        }
    }

    /// Every key some estimator allows.
    static var allKeys: [String] { Array(Set(ProxyEstimator.keys + TableEstimator.keys + CommandEstimator.keys)).sorted() }

    /// The estimator's name, as in the JSON.
    public var name: String {
        switch self {
        case .proxy: return "proxy"
        case .table: return "table"
        case .command: return "command"
        }
    }
}

/// Per-layer sensitivities of accuracy to noise: layer `l` costs `sensitivity[l] * NSR_l`
/// percentage points. The linear form follows Sakr, Kim & Shanbhag, "Analytical Guarantees on
/// Numerical Precision of Deep Neural Networks" (ICML 2017), whose bound on the probability
/// that quantisation noise flips a decision is a sum over layers of each layer's noise
/// variance times a data-dependent gain; a first-order (small-noise) linearisation around
/// the reference precision. `sensitivity_l` is best measured: inject Gaussian noise of known
/// NSR at layer l's output and take the slope of the accuracy.
public struct NoiseSensitivity: Sendable, Hashable {
    /// Percentage points per unit NSR, one per workload layer.
    public let pctPerNSR: [Double]

    public init(pctPerNSR: [Double]) {
        precondition(pctPerNSR.allSatisfy { $0.isFinite && $0 >= 0 }, "sensitivities are finite and non-negative")
        self.pctPerNSR = pctPerNSR
    }

    /// The accuracy loss of layer `layer` at noise-to-signal ratio `nsr` (a power ratio,
    /// `NSRAccumulator.nsr` or `.nsrVsActivationBits`). A zero sensitivity costs nothing even
    /// for an infinite NSR.
    @inlinable
    public func term(layer: Int, nsr: Double) -> Double {
        precondition(nsr >= 0, "an NSR is non-negative")
        let s = pctPerNSR[layer]
        return s == 0 ? 0 : s * nsr
    }

    /// Default sensitivity of the `proxy` estimator, percentage points per unit NSR per layer.
    /// A rough prior, to be replaced by measurements: a per-layer NSR of 0.01 (20 dB SNR, about
    /// what 4-bit uniform quantisation of activations gives) then costs 0.2 points per layer,
    /// 3.2 points over VGG16's 16 layers, roughly the order of the drops seen for 4-bit
    /// post-training quantisation of CNNs without fine-tuning, while 8-bit (NSR ~1e-5) costs
    /// nothing visible, as observed. An order-of-magnitude guess, not a measurement.
    public static let defaultPctPerNSR = 20.0

    /// Reads `sensitivity` (an object keyed by layer name) and `default_sensitivity_pct_per_nsr`
    /// from `object`; layers not listed get the default (`fallback` when the key is absent).
    static func read(_ object: JSONObject, workload: Workload, fallback: Double) throws -> NoiseSensitivity {
        let defaultValue = try object.optional("default_sensitivity_pct_per_nsr")
            .map { try nonNegative($0) } ?? fallback
        var values = Array(repeating: defaultValue, count: workload.layers.count)
        if let node = object.optional("sensitivity") {
            for (index, item) in try perLayer(node, workload: workload) {
                values[index] = try nonNegative(item)
            }
        }
        return NoiseSensitivity(pctPerNSR: values)
    }
}

// MARK: - Reading helpers shared by the estimators

/// A finite number >= 0.
func nonNegative(_ node: JSONNode) throws -> Double {
    guard case let .number(n) = node.value, n.isFinite, n >= 0 else { throw node.fail("a non-negative number") }
    return n
}

/// The members of an object keyed by workload layer names, as (layer index, value node) in
/// document order; an unknown name is an error at its own path.
func perLayer(_ node: JSONNode, workload: Workload) throws -> [(Int, JSONNode)] {
    let object = try node.object(allowing: Array(Set(workload.layers.map(\.name) + (node.value.objectKeys ?? []))))
    return try object.members.map { member in
        let item = JSONNode(member.value, path: object.childPath(member.key))
        guard let index = workload.index(of: member.key) else {
            throw item.error("unknown layer \(JSONValue.shortQuote(member.key)), expected one of the workload's layers: "
                + workload.layers.map(\.name).joined(separator: ", "))
        }
        return (index, item)
    }
}

extension JSONValue {
    var objectKeys: [String]? {
        guard case let .object(members) = self else { return nil }
        return members.map(\.key)
    }
}

extension JSONNode {
    /// An error at this node with a free-form message (no "expected ..., found ..." frame).
    func error(_ message: String) -> InputError { InputError(path: path, message) }
}
