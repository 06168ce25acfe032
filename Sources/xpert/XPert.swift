import ArgumentParser
import Foundation
import XPertCore

@main
struct XPert: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "xpert",
        abstract: "Design-space exploration for in-memory-computing DNN accelerators.",
        version: XPertVersion.string,
        subcommands: [Search.self, Validate.self, Evaluate.self, Calibrate.self, Bench.self, Daism.self, Reprogram.self]
    )
}

/// Prints `error: <file>: <json path>: <message>` on stderr and exits with status 2.
func fail(file: String, _ error: Error) -> ExitCode {
    let message: String
    switch error {
    case let e as InputError: message = "\(file): \(e.path): \(e.message)"
    default: message = "\(file): \(error)"
    }
    FileHandle.standardError.write(Data("error: \(message)\n".utf8))
    return ExitCode(2)
}

/// Loads a search space or exits with status 2 and a one-line error.
func loadSpace(_ path: String) throws -> SearchSpace {
    do { return try SearchSpace.load(path: path) } catch { throw fail(file: path, error) }
}

/// Prints `error: <message>` on stderr for an unusable command-line value (exit 2, as bad input).
func usageFailure(_ message: String) -> ExitCode {
    FileHandle.standardError.write(Data("error: \(message)\n".utf8))
    return ExitCode(2)
}

/// Prints `error: <file>: <message>` on stderr for a failure that is not bad input (exit 1).
func failure(file: String, _ message: String) -> ExitCode {
    FileHandle.standardError.write(Data("error: \(file): \(message)\n".utf8))
    return ExitCode(1)
}
