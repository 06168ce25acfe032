/// The choices made for one layer: a point in that layer's option space.
public struct LayerDesign: Sendable, Hashable {
    public var outChannels: Int
    public var adcType: ADCType
    public var adcBits: Int
    public var columnSharing: Int
    public var inputBits: Int

    public init(outChannels: Int, adcType: ADCType, adcBits: Int, columnSharing: Int, inputBits: Int) {
        self.outChannels = outChannels
        self.adcType = adcType
        self.adcBits = adcBits
        self.columnSharing = columnSharing
        self.inputBits = inputBits
    }
}

extension LayerDesign {
    /// The layer's entry in a design document, named.
    public func members(name: String) -> [(key: String, value: JSONValue)] {
        [
            ("name", .string(name)),
            ("out_channels", .number(Double(outChannels))),
            ("adc_type", .string(adcType.rawValue)),
            ("adc_bits", .number(Double(adcBits))),
            ("column_sharing", .number(Double(columnSharing))),
            ("input_bits", .number(Double(inputBits))),
        ]
    }
}

/// A complete design: one `LayerDesign` per workload layer, in order.
public struct Design: Sendable, Hashable {
    public var layers: [LayerDesign]

    public init(layers: [LayerDesign]) { self.layers = layers }

    public var outChannels: [Int] { layers.map(\.outChannels) }
}

extension Design {
    /// Reads a design (`{"layers": [...]}`) and checks it against the workload's choices.
    public static func read(_ node: JSONNode, workload: Workload) throws -> Design {
        let object = try node.object(allowing: ["layers", "name"])
        let items = try object.required("layers").array()
        guard items.count == workload.layers.count else {
            throw InputError(path: object.childPath("layers"),
                             "expected \(workload.layers.count) layer entries (one per workload layer), found \(items.count)")
        }
        var layers: [LayerDesign] = []
        for (item, layer) in zip(items, workload.layers) {
            let o = try item.object(allowing: ["name", "out_channels", "adc_type", "adc_bits", "column_sharing", "input_bits"])
            if let nameNode = o.optional("name") {
                let name = try nameNode.string()
                guard name == layer.name else { throw nameNode.fail("\"\(layer.name)\" (layers in workload order)") }
            }
            func pick<T: Equatable>(_ key: String, _ allowed: [T], _ read: (JSONNode) throws -> T, _ show: (T) -> String) throws -> T {
                let n = try o.required(key)
                let v = try read(n)
                guard allowed.contains(v) else { throw n.fail("one of the layer's choices (\(allowed.map(show).joined(separator: ", ")))") }
                return v
            }
            let c = layer.choices
            layers.append(LayerDesign(
                outChannels: try pick("out_channels", layer.outChannelChoices, { try $0.positiveInt() }, { "\($0)" }),
                adcType: try pick("adc_type", c.adcTypes, { ADCType(rawValue: try $0.string(oneOf: ADCType.allCases.map(\.rawValue)))! }, { $0.rawValue }),
                adcBits: try pick("adc_bits", c.adcBits, { try $0.positiveInt() }, { "\($0)" }),
                columnSharing: try pick("column_sharing", c.columnSharing, { try $0.positiveInt() }, { "\($0)" }),
                inputBits: try pick("input_bits", c.inputBits, { try $0.positiveInt() }, { "\($0)" })))
        }
        let design = Design(layers: layers)
        try design.checkChannelGroups(workload: workload, path: object.childPath("layers"))
        return design
    }

    /// Layers of one channel group must agree on their output channels.
    func checkChannelGroups(workload: Workload, path: String) throws {
        var first: [String: Int] = [:]
        for (i, layer) in workload.layers.enumerated() {
            guard let g = layer.channelGroup else { continue }
            if let j = first[g] {
                guard layers[i].outChannels == layers[j].outChannels else {
                    throw InputError(path: "\(path)[\(i)].out_channels",
                                     "expected \(layers[j].outChannels) (channel group \"\(g)\" of layer \(workload.layers[j].name)), found \(layers[i].outChannels)")
                }
            } else {
                first[g] = i
            }
        }
    }

    /// The design as JSON, in the form `read` accepts.
    public func json(workload: Workload) -> JSONValue {
        .object([("layers", .array(zip(workload.layers, layers).map { .object($1.members(name: $0.name)) }))])
    }

    /// Every layer at its largest channel count and bits, the first listed ADC type and sharing
    /// (members of a channel group offer the same channel choices, so they agree).
    public static func largest(workload: Workload) -> Design {
        Design(layers: workload.layers.map { l in
            LayerDesign(outChannels: l.outChannelChoices.max()!, adcType: l.choices.adcTypes[0],
                        adcBits: l.choices.adcBits.max()!, columnSharing: l.choices.columnSharing[0],
                        inputBits: l.choices.inputBits.max()!)
        })
    }
}

extension Design {
    /// Reads one design object, or an array of them; `isArray` tells which the file held.
    public static func readList(_ node: JSONNode, workload: Workload) throws -> (designs: [Design], isArray: Bool) {
        if case .array = node.value {
            return (try node.array(nonEmpty: true).map { try read($0, workload: workload) }, true)
        }
        return ([try read(node, workload: workload)], false)
    }
}
