import Foundation

/// Designs with a measured accuracy, read from a CSV in `pareto.csv`'s layout: one row per
/// design, the per-layer choice columns as `|` lists (`out_channels`, `adc_type`, `adc_bits`,
/// `column_sharing`, `input_bits`, and `substrate` and DAISM's fields where the space offers
/// them; a single value stands for every layer), plus `accuracy_pct`. Other columns (the
/// frontier's figures) are ignored, so measured rows of a frontier can be fed back as they are.
public struct MeasuredDesigns: Sendable {
    public var designs: [Design]
    public var accuracyPct: [Double]
    /// The CSV's `design_id` of each row (its row number when there is no such column).
    public var ids: [String]

    public static func read(text: String, workload: Workload) throws -> MeasuredDesigns {
        let lines = text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).map(String.init)
            .enumerated().filter { !$0.element.trimmingCharacters(in: .whitespaces).isEmpty }
        guard let header = lines.first else { throw InputError(path: "row 1", "expected a header row, found an empty file") }
        let names = header.element.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
        guard let accuracyColumn = names.firstIndex(of: "accuracy_pct") else {
            throw InputError(path: "row 1", "expected an accuracy_pct column (the measured accuracy, percent)")
        }
        guard names.contains("out_channels") else { throw InputError(path: "row 1", "expected an out_channels column") }
        let fieldKeys = Set(workload.layers.flatMap { $0.choices.substrates.flatMap { $0.substrate.fields.map(\.key) } })
        let designColumns = names.indices.filter { names[$0] == "out_channels" || names[$0] == "substrate" || fieldKeys.contains(names[$0]) }
        var out = MeasuredDesigns(designs: [], accuracyPct: [], ids: [])
        for (index, line) in lines.dropFirst() {
            let row = "row \(index + 1)"
            let cells = line.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
            guard cells.count == names.count else {
                throw InputError(path: row, "expected \(names.count) comma-separated values (as the header), found \(cells.count)")
            }
            guard let accuracy = Double(cells[accuracyColumn]), accuracy.isFinite, (0...100).contains(accuracy) else {
                throw InputError(path: "\(row).accuracy_pct", "expected a percentage in 0...100, found \(JSONValue.shortQuote(cells[accuracyColumn]))")
            }
            var layers = workload.layers.map { [("name", JSONValue.string($0.name))] as [(key: String, value: JSONValue)] }
            for c in designColumns {
                let values = cells[c].split(separator: "|", omittingEmptySubsequences: false).map(String.init)
                guard values.count == 1 || values.count == layers.count else {
                    throw InputError(path: "\(row).\(names[c])", "expected one value or \(layers.count) values separated by '|', found \(values.count)")
                }
                for l in layers.indices {
                    let text = values.count == 1 ? values[0] : values[l]
                    if names[c] == "substrate" && text == SubstrateKind.crossbar.rawValue { continue }
                    layers[l].append((names[c], Double(text).map { .number($0) } ?? .string(text)))
                }
            }
            let document = JSONValue.object([("layers", .array(layers.map { .object($0) }))])
            do {
                out.designs.append(try Design.read(JSONNode(document, path: row), workload: workload))
            } catch let e as InputError {
                throw InputError(path: e.path.replacingOccurrences(of: ".layers[", with: " layer ["), e.message)
            }
            out.accuracyPct.append(accuracy)
            out.ids.append(names.firstIndex(of: "design_id").map { cells[$0] } ?? "row \(index + 1)")
        }
        guard !out.designs.isEmpty else { throw InputError(path: "row 2", "expected at least one measured design") }
        return out
    }
}
