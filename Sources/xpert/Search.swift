import ArgumentParser
import Foundation
import Synchronization
import XPertCore

struct Search: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Search the space (its search.method: the exact joint frontier, or XPert's two phases) and write the Pareto frontier to a results folder.")

    @Argument(help: "The search-space JSON file.")
    var space: String

    @Option(help: "Results folder (default: Results/<name> of the space).")
    var out: String?

    @Option(help: "Two-phase method: phase-1 architectures refined in phase 2 (default: the space's search.top_k, or 4).")
    var top: Int?

    @Option(help: "Worker threads; results are identical for any value.")
    var threads: Int = ProcessInfo.processInfo.activeProcessorCount

    @Flag(help: "No progress line on stderr.")
    var quiet = false

    func validate() throws {
        if let top, top < 1 { throw ValidationError("--top must be at least 1") }
        if threads < 1 { throw ValidationError("--threads must be at least 1") }
    }

    func run() throws {
        let start = Date()
        let s = try loadSpace(space)
        let directory: URL
        do { directory = try ResultsFolder.check(out ?? "Results/\(s.name)") } catch {
            throw usageFailure("--out \(error)")
        }
        let interrupts = Interrupts()
        interrupts.install()
        let inputBytes = (try? Data(contentsOf: URL(fileURLWithPath: space))) ?? Data()
        let progress = quiet ? nil : ProgressLine()
        var report: (@Sendable (SearchProgress) -> Void)?
        if let progress { report = { progress.show($0) } }
        let result: SearchRun
        do {
            result = try SearchRun.run(space: s, topK: top, threads: threads, interrupts: interrupts, progress: report)
        } catch let e as SearchInfeasible {
            progress?.finish()
            throw fail(file: space, InputError(path: e.path, e.message))
        } catch let e as Phase2Error {
            progress?.finish()
            throw failure(file: space, "\(e)")
        } catch let e as AccuracyUnavailable {
            progress?.finish()
            throw failure(file: space, e.description)
        } catch let e as JointSearch.TooManyLabels {
            progress?.finish()
            throw fail(file: space, InputError(path: "$.search.epsilon", e.description))
        }
        progress?.finish()
        for f in result.accuracyFailures {
            FileHandle.standardError.write(Data("warning: \(space): accuracy command failed, design left out: \(f.failure)\n".utf8))
        }
        var output = ResultsFolder(checked: directory)
        output.add("pareto.csv", SearchReport.paretoCSV(result))
        output.add("designs.json", SearchReport.designsJSON(result))
        output.add("breakdown.csv", SearchReport.breakdownCSV(result))
        output.add("pareto.svg", SearchReport.plotSVG(result))
        output.add("run.json", SearchReport.runJSON(result, inputSHA256: SHA256.hex([UInt8](inputBytes)), inputPath: space))
        output.add("timings.json", SearchReport.timingsJSON(result))
        do { try output.commit(interrupts: interrupts) } catch let e as ResultsFolder.Refused {
            throw usageFailure("--out \(e)")
        } catch {
            FileHandle.standardError.write(Data("error: \(directory.path): cannot write the results (\(error.localizedDescription))\n".utf8))
            throw ExitCode(1)
        }
        // The whole command: reading, search and writing the results.
        let seconds = String(format: "%.2f", Date().timeIntervalSince(start))
        let reported = result.frontier.count == result.frontierSize ? "\(result.frontier.count) Pareto designs"
            : "\(result.frontier.count) of \(result.frontierSize) Pareto designs"
        var mode = s.search.method == .twoPhase ? "two-phase" : s.search.epsilon.map { "epsilon \(JSONValue.format(number: $0))" } ?? "exact"
        if case .command? = s.accuracy?.estimator { mode += " search; accuracy of \(result.designsEstimated - result.accuracyFailures.count) designs from the program" }
        print("\(reported) (\(mode)) out of \(SpaceSize(workload: s.workload).description) joint design points in \(seconds) s -> \(directory.path)")
    }
}

/// The progress line on stderr: shown once a run has taken a second, rewritten in place.
final class ProgressLine: Sendable {
    private let start = Date()
    private let shown = Mutex(false)

    func show(_ p: SearchProgress) {
        let elapsed = Date().timeIntervalSince(start)
        guard elapsed >= 1 else { return }
        shown.withLock { shown in
            shown = true
            let detail = p.detail.isEmpty ? "" : " (\(p.detail))"
            let line = "\r\(p.phase): \(p.done)/\(p.total)\(detail), \(String(format: "%.1f", elapsed)) s\u{1B}[K"
            FileHandle.standardError.write(Data(line.utf8))
        }
    }

    func finish() {
        shown.withLock { if $0 { FileHandle.standardError.write(Data("\n".utf8)) } }
    }
}
