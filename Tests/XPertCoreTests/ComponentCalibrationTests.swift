import Foundation
import Testing
import XPertCore

/// Every row of the NeuroSim reference figures (`docs/reference/neurosim-32nm-components.csv`)
/// reproduced by the component models at 32 nm.
@Suite("Component calibration against NeuroSim at 32 nm")
struct ComponentCalibrationTests {
    /// Relative tolerance on every figure the reference gives.
    static let tolerance = 0.05

    /// One row of the reference table; empty cells are nil.
    struct ReferenceRow: CustomStringConvertible {
        var line: Int
        var component: String
        var variant: String
        var rows: Int?
        var cols: Int?
        var colsPerADC: Int?
        var bits: Int?
        var areaUM2: Double?
        var energyPJ: Double?
        var latencyNS: Double?

        /// The integer after `key=` in the variant column (e.g. `n_inputs=16`).
        func parameter(_ key: String) -> Int? {
            guard variant.hasPrefix(key + "=") else { return nil }
            return Int(variant.dropFirst(key.count + 1))
        }

        var description: String {
            "line \(line): \(component) \(variant) rows=\(rows.map(String.init) ?? "-") cols=\(cols.map(String.init) ?? "-") "
                + "cols_per_adc=\(colsPerADC.map(String.init) ?? "-") bits=\(bits.map(String.init) ?? "-")"
        }
    }

    /// The reference file in the repository, found from this source file.
    static var referenceURL: URL {
        URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent() // XPertCoreTests
            .deletingLastPathComponent() // Tests
            .deletingLastPathComponent() // package root
            .appendingPathComponent("docs/reference/neurosim-32nm-components.csv")
    }

    /// Splits a CSV line on commas outside double quotes.
    static func fields(_ line: Substring) -> [String] {
        var out: [String] = [], field = "", quoted = false
        for ch in line {
            if ch == "\"" { quoted.toggle() } else if ch == ",", !quoted { out.append(field); field = "" } else { field.append(ch) }
        }
        out.append(field)
        return out
    }

    static func loadReference() throws -> [ReferenceRow] {
        let url = referenceURL
        guard FileManager.default.fileExists(atPath: url.path) else {
            Issue.record("reference figures not found at \(url.path): the calibration reads docs/reference/neurosim-32nm-components.csv of the repository")
            return []
        }
        let text = try String(contentsOf: url, encoding: .utf8)
        var lines = text.split(whereSeparator: \.isNewline)
        guard let header = lines.first else { return [] }
        let names = fields(header)
        let expected = ["component", "variant", "rows", "cols", "cols_per_adc", "bits", "area_um2", "energy_pJ", "latency_ns"]
        #expect(Array(names.prefix(expected.count)) == expected, "unexpected reference header \(names)")
        lines.removeFirst()
        return lines.enumerated().compactMap { index, line in
            let f = fields(line)
            guard f.count >= 9 else { return nil }
            func int(_ i: Int) -> Int? { Int(f[i].trimmingCharacters(in: .whitespaces)) }
            func double(_ i: Int) -> Double? { Double(f[i].trimmingCharacters(in: .whitespaces)) }
            return ReferenceRow(line: index + 2, component: f[0], variant: f[1], rows: int(2), cols: int(3),
                                colsPerADC: int(4), bits: int(5), areaUM2: double(6), energyPJ: double(7),
                                latencyNS: double(8))
        }
    }

    /// The model's area, energy and latency for a reference row (nil: not a known component).
    static func model(_ r: ReferenceRow, technology t: Technology) -> (area: Double, energy: Double, latency: Double)? {
        func figures(_ c: some HardwareComponent) -> (Double, Double, Double) { (c.areaUM2, c.energyPJ, c.latencyNS) }
        let rows = r.rows ?? 0, cols = r.cols ?? 0, shared = r.colsPerADC ?? 1, bits = r.bits ?? 0
        switch r.component {
        case "adc" where r.variant == "flash": return figures(FlashADC(bits: bits, technology: t))
        case "adc" where r.variant == "sar": return figures(SARADC(bits: bits, technology: t))
        case "cell_array": return figures(CellArray(rows: rows, cols: cols, cell: .rram1T1R, technology: t))
        case "cell_write":
            let a = CellArray(rows: rows, cols: cols, cell: .rram1T1R, technology: t)
            return (a.areaUM2, a.writeEnergyPJ, a.rowWriteLatencyNS)
        case "row_drivers": return figures(RowDrivers(rows: rows, cols: cols, technology: t))
        case "col_drivers": return figures(ColumnDrivers(rows: rows, cols: cols, columnsPerADC: shared, technology: t))
        case "array_read": return (0, 0, ArrayRead(rows: rows, cols: cols, columnsPerADC: shared, technology: t).latencyNS)
        // The reference's column-mux rows read through a 5-bit flash ADC, ColumnMux's default.
        case "column_mux": return figures(ColumnMux(rows: rows, cols: cols, columnsPerADC: shared, technology: t))
        case "shiftadd":
            guard let register = r.parameter("shift_reg_bits") else { return nil }
            return figures(ShiftAdd(bits: bits, shiftRegisterBits: register, technology: t))
        case "adder": return figures(Adder(bits: bits, technology: t))
        case "addertree":
            guard let inputs = r.parameter("n_inputs") else { return nil }
            return figures(AdderTree(inputs: inputs, bits: bits, technology: t))
        case "mux":
            guard let inputs = r.parameter("n_mux_inputs") else { return nil }
            return figures(Mux(inputs: inputs, bits: bits, technology: t))
        case "flipflop": return figures(FlipFlop(bits: bits, technology: t))
        case "maxpool":
            guard let window = r.parameter("window") else { return nil }
            return figures(MaxPool(window: window, bits: bits, technology: t))
        case "notgate": return figures(LogicGate(.not, technology: t))
        case "nandgate": return figures(LogicGate(.nand, technology: t))
        case "norgate": return figures(LogicGate(.nor, technology: t))
        default: return nil
        }
    }

    @Test("every reference row within 5 %")
    func everyRowWithinTolerance() throws {
        let reference = try Self.loadReference()
        try #require(!reference.isEmpty, "no reference rows read from \(Self.referenceURL.path)")
        let t = try Technology(nodeNM: 32)
        var worst: [String: Double] = [:]
        for row in reference {
            guard let m = Self.model(row, technology: t) else {
                Issue.record("no model for reference \(row)")
                continue
            }
            let key = row.component == "adc" ? "adc \(row.variant)" : row.component
            for (what, ref, got) in [("area_um2", row.areaUM2, m.area), ("energy_pJ", row.energyPJ, m.energy),
                                     ("latency_ns", row.latencyNS, m.latency)] {
                guard let ref else { continue }
                if ref == 0 {
                    // A zero in the reference is "nothing there" (no column mux without
                    // sharing) or "not modelled" (gate energy and delay): the model must be
                    // zero or negligible (below 0.01 pJ / 0.1 ns, a fraction of any block).
                    let negligible = what == "area_um2" ? 1e-9 : (what == "energy_pJ" ? 0.01 : 0.1)
                    #expect(got >= 0 && got < negligible, "\(row): \(what) \(got), reference 0")
                    continue
                }
                let error = abs(got - ref) / abs(ref)
                worst[key] = max(worst[key] ?? 0, error)
                #expect(error <= Self.tolerance,
                        "\(row): \(what) model \(got) vs reference \(ref) (\(String(format: "%+.2f", 100 * (got - ref) / ref)) %)")
            }
        }
        // The whole table, per component, for the record.
        let summary = worst.sorted { $0.key < $1.key }
            .map { "\($0.key) \(String(format: "%.2f", 100 * $0.value)) %" }.joined(separator: ", ")
        print("worst relative error per component at 32 nm: \(summary)")
        #expect(worst.values.allSatisfy { $0 <= Self.tolerance })
    }

    @Test("the reference covers every component the models calibrate")
    func referenceCoversComponents() throws {
        let components = Set(try Self.loadReference().map { $0.component == "adc" ? "adc \($0.variant)" : $0.component })
        for needed in ["adc flash", "adc sar", "cell_array", "cell_write", "row_drivers", "col_drivers", "array_read",
                       "column_mux", "shiftadd", "adder", "addertree", "mux", "flipflop", "maxpool"] {
            #expect(components.contains(needed), "reference has no \(needed) rows")
        }
    }
}
