import Dispatch
import Foundation
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// What to undo when the process is interrupted: the process groups of running child programs
/// and the temporary folders being written. A run registers what it creates and unregisters
/// it when done; once `install`ed, SIGINT and SIGTERM kill those groups, remove those folders
/// and end the process with status 128 + the signal number.
///
/// Registration and cleanup share one lock, so a compound step that must not be cut in half
/// (starting a child and registering it, filling and renaming a results folder) runs in
/// `critical` and the cleanup waits for it.
public final class Interrupts: Sendable {
    /// The registered process groups and paths.
    public struct Registry: Sendable {
        public var processGroups: Set<Int32> = []
        public var paths: Set<String> = []
    }

    private let registry = Mutex(Registry())
    private let sources = Mutex<[DispatchSourceSignal]>([])
    private let queue = DispatchQueue(label: "xpert.interrupts")

    public init() {}

    /// Makes `signals` run the cleanup and end the process (status 128 + signal).
    public func install(signals: [Int32] = [SIGINT, SIGTERM]) {
        sources.withLock { sources in
            for sig in signals {
                signal(sig, SIG_IGN)
                let source = DispatchSource.makeSignalSource(signal: sig, queue: queue)
                source.setEventHandler { [self] in
                    registry.withLock { r in
                        Self.cleanUp(r)
                        _exit(128 + sig)
                    }
                }
                source.resume()
                sources.append(source)
            }
        }
    }

    /// Runs `body` with the registry locked: a signal's cleanup waits until it returns.
    public func critical<T>(_ body: (inout Registry) throws -> T) rethrows -> T {
        try registry.withLock { try body(&$0) }
    }

    /// Kills every registered process group and removes every registered path.
    static func cleanUp(_ r: Registry) {
        for group in r.processGroups { kill(-group, SIGKILL) }
        for path in r.paths { try? FileManager.default.removeItem(atPath: path) }
    }
}
