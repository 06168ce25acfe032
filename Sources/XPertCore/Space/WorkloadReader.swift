import Foundation

/// Reads the `workload` object, resolves layer inputs and checks every shape.
enum WorkloadReader {
    static let layerKeys = ["name", "type", "kernel", "stride", "padding", "in_channels", "out_channels",
                            "channel_group", "input", "pool", "choices", "tokens", "weights", "activations"]

    static func read(_ node: JSONNode, choices choicesNode: JSONNode, hardware: HardwareSpec, daism: DaismSettings,
                     baseDirectory: URL) throws -> Workload {
        let o = try node.object(allowing: ["input", "layers", "weight_bits", "activation_bits"])
        let inputObject = try o.required("input").object(allowing: ["height", "width", "channels"])
        let input = TensorShape(height: try inputObject.required("height").int(in: 1...65536),
                                width: try inputObject.required("width").int(in: 1...65536),
                                channels: try inputObject.required("channels").int(in: 1...1_000_000))
        // A signed weight needs a sign and at least one magnitude bit, in every model.
        let weightBits = try o.optional("weight_bits")?.int(in: 2...16) ?? 8
        let activationBits = try o.optional("activation_bits")?.int(in: 1...16) ?? 8
        let globalChoices = try ChoicesReader.read(choicesNode, hardware: hardware, activationBits: activationBits, daism: daism, base: nil)

        var layers: [Layer] = []
        /// Output shape of each layer after pooling; channels are nil while a choice is open.
        var outputs: [(height: Int, width: Int, channels: Int?)] = []
        var groups: [String: (index: Int, choices: [Int])] = [:]
        let layersNode = try o.required("layers")
        let items = try layersNode.array(nonEmpty: true)
        guard items.count <= SpaceLimits.maxLayers else {
            throw layersNode.fail("at most \(SpaceLimits.maxLayers) layers")
        }
        for item in items {
            let l = try item.object(allowing: layerKeys)
            let index = layers.count
            let name = try l.optional("name").map { try $0.name(forbidden: "|,") } ?? "layer\(index + 1)"
            if layers.contains(where: { $0.name == name }) {
                throw InputError(path: l.childPath("name"), "duplicate layer name \"\(name)\"")
            }
            // Which feature map this layer reads.
            var inputIndex: Int? = index == 0 ? nil : index - 1
            if let n = l.optional("input") {
                let ref = try n.string()
                if ref == "input" { inputIndex = nil } else {
                    guard let j = layers.firstIndex(where: { $0.name == ref }) else {
                        throw n.fail("\"input\" or the name of an earlier layer")
                    }
                    inputIndex = j
                }
            }
            let inShape = inputIndex.map { outputs[$0] } ?? (input.height, input.width, input.channels)

            let typeNode = try l.required("type")
            let kind: LayerKind
            let outHeight: Int, outWidth: Int
            switch try typeNode.string(oneOf: ["conv", "linear"]) {
            case "conv":
                let kNode = try l.required("kernel")
                let k = try kNode.int(in: 1...1024)
                let stride = try l.optional("stride")?.int(in: 1...1024) ?? 1
                let padNode = l.optional("padding")
                let padding = try padNode?.int(in: 0...1024) ?? 0
                guard k <= inShape.height + 2 * padding, k <= inShape.width + 2 * padding else {
                    throw kNode.fail("a kernel no larger than the padded input \(inShape.height + 2 * padding)x\(inShape.width + 2 * padding)")
                }
                if l.has("tokens") {
                    throw InputError(path: l.childPath("tokens"), "unknown key \"tokens\" for a conv layer (tokens are a linear layer's)")
                }
                kind = .conv(kernel: k, stride: stride, padding: padding)
                outHeight = (inShape.height + 2 * padding - k) / stride + 1
                outWidth = (inShape.width + 2 * padding - k) / stride + 1
            default:
                for key in ["kernel", "stride", "padding"] where l.has(key) {
                    throw InputError(path: l.childPath(key), "unknown key \"\(key)\" for a linear layer")
                }
                kind = .linear
                (outHeight, outWidth) = (1, 1)
            }

            if let n = l.optional("in_channels") {
                let given = try n.positiveInt()
                guard let actual = inShape.channels else {
                    throw n.fail("no in_channels (the input layer's output channels are a design choice)")
                }
                let expected = kind == .linear ? actual * inShape.height * inShape.width : actual
                guard given == expected || given == actual else {
                    throw InputError(path: n.path, "expected \(expected) (the output of \(inputIndex.map { layers[$0].name } ?? "the network input")), found \(given)")
                }
            }

            let outNode = try l.required("out_channels")
            let outChoices: [Int]
            if case .object = outNode.value {
                let list = try outNode.object(allowing: ["choices"]).required("choices")
                outChoices = try list.choiceList { try $0.int(in: 1...1_000_000) }
                guard outChoices.count <= SpaceLimits.maxChannelChoices else {
                    throw list.fail("at most \(SpaceLimits.maxChannelChoices) channel choices")
                }
            } else {
                outChoices = [try outNode.int(in: 1...1_000_000)]
            }
            var group: String?
            if let g = l.optional("channel_group") {
                let gName = try g.name()
                if let first = groups[gName] {
                    guard first.choices == outChoices else {
                        throw outNode.fail("the same out_channels choices as \(layers[first.index].name) in channel group \"\(gName)\" (\(first.choices.map(String.init).joined(separator: ", ")))")
                    }
                } else {
                    groups[gName] = (index, outChoices)
                }
                group = gName
            }

            var pooling: Pooling?
            var pooledHeight = outHeight, pooledWidth = outWidth
            if let p = l.optional("pool") {
                pooling = try readPool(p)
                guard let size = pooling!.output(height: outHeight, width: outWidth) else {
                    throw p.fail("a pooling window no larger than the \(outHeight)x\(outWidth) output")
                }
                (pooledHeight, pooledWidth) = size
            }

            let layerChoices = try l.optional("choices").map {
                try ChoicesReader.read($0, hardware: hardware, activationBits: activationBits, daism: daism, base: globalChoices)
            } ?? globalChoices

            let tokens = try l.optional("tokens")?.int(in: 1...1_000_000) ?? 1
            layers.append(Layer(name: name, kind: kind, outChannelChoices: outChoices, channelGroup: group,
                                inputIndex: inputIndex, pooling: pooling, choices: layerChoices.choices,
                                inputHeight: inShape.height, inputWidth: inShape.width,
                                outputHeight: outHeight, outputWidth: outWidth, tokens: tokens))
            // Real data files, at the layer's largest channel choices (headers checked here).
            let maxIn = inputIndex.map { layers[$0].outChannelChoices.max()! } ?? input.channels
            if let n = l.optional("weights") {
                let resolved = URL.resolving(try n.string(), against: baseDirectory).path
                try DesignWeights.checkFile(path: resolved, layer: layers[index], inChannels: maxIn,
                                            outChannels: outChoices.max()!, node: n)
                layers[index].weightsPath = resolved
            }
            if let n = l.optional("activations") {
                let resolved = URL.resolving(try n.string(), against: baseDirectory).path
                try ActivationSamples.checkFile(path: resolved, layer: layers[index], inChannels: maxIn, node: n)
                layers[index].activationsPath = resolved
            }
            outputs.append((pooledHeight, pooledWidth, outChoices.count == 1 ? outChoices[0] : nil))
        }
        let workload = Workload(input: input, layers: layers, weightBits: weightBits, activationBits: activationBits)
        try SpaceLimits.check(workload, path: node.path)
        try SpaceLimits.check(options: workload, path: node.path)
        return workload
    }

    static func readPool(_ node: JSONNode) throws -> Pooling {
        if case .string = node.value {
            _ = try node.string(oneOf: ["global_avg"])
            return .globalAverage
        }
        let o = try node.object(allowing: ["type", "kernel", "stride"])
        let type = try o.optional("type")?.string(oneOf: ["max", "avg"]) ?? "max"
        let k = try o.required("kernel").int(in: 1...1024)
        let s = try o.optional("stride")?.int(in: 1...1024) ?? k
        return type == "max" ? .max(kernel: k, stride: s) : .average(kernel: k, stride: s)
    }
}
