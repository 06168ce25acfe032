import ArgumentParser
import Foundation
import XPertCore

struct Calibrate: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Fit the proxy accuracy estimator (per-layer sensitivities, width law, drop curve) to measured accuracies.",
        discussion: """
            --measured: a CSV in pareto.csv's layout (per-layer choice columns as '|' lists) plus \
            accuracy_pct, one row per measured design; fits sensitivities and the width law and reports \
            the fit, its residuals and a leave-one-out error. --probe: asks the space's command program \
            for the baseline's accuracy with noise of known NSR in one layer at a time and fits each \
            layer's sensitivity and a drop curve. --out writes the space with the fitted proxy section \
            (paths in it stay relative to the space's folder: write it beside the space).
            """)

    @Argument(help: "The search-space JSON file.")
    var space: String

    @Option(help: "Measured designs: pareto.csv's columns plus accuracy_pct.")
    var measured: String?

    @Flag(help: "Probe the space's command estimator with injected noise, one layer at a time.")
    var probe = false

    @Option(help: "Write the space with the fitted accuracy section here.")
    var out: String?

    @Flag(help: "Print a JSON object instead of a table.")
    var json = false

    @Option(help: "Worker threads; results are identical for any value.")
    var threads: Int = ProcessInfo.processInfo.activeProcessorCount

    func validate() throws {
        guard (measured != nil) != probe else { throw ValidationError("give exactly one of --measured FILE and --probe") }
        guard threads >= 1 else { throw ValidationError("--threads must be positive") }
    }

    func run() throws {
        let s = try loadSpace(space)
        let interrupts = Interrupts()
        interrupts.install()
        let fitted: ProxyEstimator, curve: DropCurve, report: CalibrationReport
        if let measured {
            let designs: MeasuredDesigns
            do {
                let text = try String(contentsOfFile: measured, encoding: .utf8)
                designs = try MeasuredDesigns.read(text: text, workload: s.workload)
            } catch let e as InputError { throw fail(file: measured, e) } catch {
                throw fail(file: measured, InputError(path: "row 1", "cannot read the file (\(error.localizedDescription))"))
            }
            let fit: ProxyCalibration
            do { fit = try Calibration.measured(space: s, designs: designs, threads: threads, interrupts: interrupts) } catch let e as InputError {
                throw fail(file: space, e)
            } catch { throw failure(file: space, "\(error)") }
            (fitted, curve) = (fit.fitted, .linear)
            report = CalibrationReport(measured: fit, workload: s.workload, source: measured)
        } else {
            let fit: ProbeCalibration
            do { fit = try Calibration.probe(space: s, interrupts: interrupts) } catch let e as InputError {
                throw fail(file: space, e)
            } catch { throw failure(file: space, "\(error)") }
            let base = ProxyEstimator(baselineAccuracyPct: fit.referencePct, baselineChannels: s.workload.layers.map { $0.outChannelChoices.max()! },
                                      widthWeights: ProxyEstimator.defaultWidthWeights(workload: s.workload),
                                      sensitivity: NoiseSensitivity(pctPerNSR: fit.sensitivity))
            (fitted, curve) = (base, fit.curve)
            report = CalibrationReport(probe: fit, workload: s.workload)
        }
        if let out {
            do {
                let original = try JSONDocument.load(path: space).value
                let document = CalibratedSpace.document(original: original, workload: s.workload, fitted: fitted, curve: curve,
                                                        calibration: report.record)
                try Data((document.serialized() + "\n").utf8).write(to: URL(fileURLWithPath: out), options: .atomic)
            } catch { throw failure(file: out, "cannot write the fitted space (\(error))") }
        }
        print(json ? report.json.serialized() : report.table)
    }
}
