/// The choices made for one layer: a point in that layer's option space.
public struct LayerDesign: Sendable, Hashable {
    public var outChannels: Int
    /// The substrate the layer runs on and its choices there.
    public var option: SubstrateOption

    public init(outChannels: Int, option: SubstrateOption) {
        self.outChannels = outChannels
        self.option = option
    }

    /// The layer's entry in a design document, named: `substrate` only when it is not the crossbar.
    public func members(name: String) -> [(key: String, value: JSONValue)] {
        [("name", .string(name)), ("out_channels", .number(Double(outChannels)))]
            + (option.substrate == .crossbar ? [] : [("substrate", .string(option.substrate.rawValue))])
            + option.members
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
            let substrates = layer.choices.substrates
            let plain = try item.object(allowing: ["name", "out_channels", "substrate"] + Array(Set(substrates.flatMap { $0.substrate.fields.map(\.key) })))
            if let nameNode = plain.optional("name") {
                let name = try nameNode.string()
                guard name == layer.name else { throw nameNode.fail("\"\(layer.name)\" (layers in workload order)") }
            }
            // The substrate: named, or the crossbar.
            let kind: SubstrateKind
            if let n = plain.optional("substrate") {
                kind = SubstrateKind(rawValue: try n.string(oneOf: substrates.map(\.substrate.rawValue)))!
            } else {
                guard substrates.contains(where: { $0.substrate == .crossbar }) else {
                    throw InputError(path: plain.childPath("substrate"), "missing required key (the layer does not offer the crossbar)")
                }
                kind = .crossbar
            }
            let choices = substrates.first { $0.substrate == kind }!
            let o = try item.object(allowing: ["name", "out_channels", "substrate"] + kind.fields.map(\.key))
            let outNode = try o.required("out_channels")
            let outChannels = try outNode.positiveInt()
            guard layer.outChannelChoices.contains(outChannels) else {
                throw outNode.fail("one of the layer's choices (\(layer.outChannelChoices.map(String.init).joined(separator: ", ")))")
            }
            var values = SIMD4<Int32>.zero
            for (f, field) in kind.fields.enumerated() {
                let n = try o.required(field.key)
                let allowed = choices.values[f]
                let value: Int32?
                if let names = field.names {
                    value = Int32(names.firstIndex(of: try n.string(oneOf: names))!)
                } else {
                    value = Int32(exactly: try n.positiveInt())
                }
                guard let value, allowed.contains(value) else {
                    throw n.fail("one of the layer's choices (\(allowed.map(field.text).joined(separator: ", ")))")
                }
                values[f] = value
            }
            layers.append(LayerDesign(outChannels: outChannels, option: SubstrateOption(substrate: kind, values: values)))
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

    /// Every layer at its largest channel count, on its first listed substrate, with the first
    /// listed value of every architecture field and the largest of every precision field (the
    /// crossbar: first ADC type and sharing, largest ADC and input bits). Members of a channel
    /// group offer the same channel choices, so they agree.
    public static func largest(workload: Workload) -> Design {
        Design(layers: workload.layers.map { l in
            let choices = l.choices.substrates[0]
            var values = SIMD4<Int32>.zero
            for (f, field) in choices.substrate.fields.enumerated() {
                values[f] = field.role == .architecture ? choices.values[f][0] : choices.values[f].max()!
            }
            return LayerDesign(outChannels: l.outChannelChoices.max()!, option: SubstrateOption(substrate: choices.substrate, values: values))
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
