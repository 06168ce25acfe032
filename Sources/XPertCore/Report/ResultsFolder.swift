import CPosixShims
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A results folder, written all at once and never over anything xpert did not write.
///
/// `check` refuses a target that is the current folder or one of its parents, a file, a
/// symbolic link, or a folder holding anything but an earlier run's results (xpert's own
/// `run.json` and the files it writes beside it). `commit` writes the files into a hidden
/// folder beside the target and then exchanges the two names in one atomic
/// `renameat2(RENAME_EXCHANGE)`, so that at every moment the target holds either the complete
/// old results or the complete new ones; the old ones are then removed.
public struct ResultsFolder {
    /// Why a results folder was refused.
    public struct Refused: Error, Sendable, CustomStringConvertible {
        public let path: String
        public let message: String
        public var description: String { "\(path): \(message)" }
    }

    /// The files a results folder may hold.
    public static let fileNames: Set<String> = ["pareto.csv", "designs.json", "breakdown.csv", "pareto.svg", "run.json", "timings.json"]

    public let directory: URL
    private var files: [(name: String, data: Data)] = []

    /// A folder checked with `check`.
    public init(checked directory: URL) { self.directory = directory }

    public mutating func add(_ name: String, _ text: String) {
        precondition(Self.fileNames.contains(name), "a results file")
        files.append((name, Data(text.utf8)))
    }

    /// The target for `path`, or why it may not receive results.
    public static func check(_ path: String,
                             currentDirectory: String = FileManager.default.currentDirectoryPath) throws(Refused) -> URL {
        guard !path.isEmpty else {
            throw Refused(path: "\"\"", message: "an empty path names the current folder; give a name for the results folder")
        }
        let url = URL(fileURLWithPath: path, relativeTo: URL(fileURLWithPath: currentDirectory, isDirectory: true)).standardizedFileURL
        let target = url.resolvingSymlinksInPath().path
        let here = URL(fileURLWithPath: currentDirectory).standardizedFileURL.resolvingSymlinksInPath().path
        if target == here || target == "/" || here.hasPrefix(target.hasSuffix("/") ? target : target + "/") {
            throw Refused(path: path, message: "is the current folder or one of its parents; name a folder for the results")
        }
        var info = stat()
        guard lstat(url.path, &info) == 0 else { return url } // does not exist yet
        if info.st_mode & S_IFMT == S_IFLNK {
            throw Refused(path: path, message: "is a symbolic link; name the results folder itself")
        }
        guard info.st_mode & S_IFMT == S_IFDIR else {
            throw Refused(path: path, message: "is a file, not a results folder; name a folder for the results")
        }
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: url.path)) ?? []
        if entries.isEmpty { return url }
        guard isResults(url) else {
            throw Refused(path: path, message: "is a folder that xpert did not write (it has no run.json of xpert's); "
                + "name a new folder or an earlier results folder, so that nothing else is replaced")
        }
        if let other = entries.sorted().first(where: { !fileNames.contains($0) }) {
            throw Refused(path: path, message: "holds \(JSONValue.shortQuote(other)), which xpert did not write; "
                + "move it away or name another folder, so that it is not deleted with the old results")
        }
        return url
    }

    /// Whether `url` holds a `run.json` that xpert wrote.
    static func isResults(_ url: URL) -> Bool {
        guard let data = try? Data(contentsOf: url.appendingPathComponent("run.json")),
              let json = try? JSONValue.parse(data), case .string("xpert")? = json["tool"] else { return false }
        return true
    }

    /// Writes the files and puts them in place of the target (see the type's doc). The whole
    /// step runs in `interrupts`' critical section, and the hidden folder is registered there
    /// until it is gone, so an interrupt leaves either the old results or the new ones and no
    /// hidden folder. `observe`, for tests, is called after every change on disk.
    public func commit(interrupts: Interrupts? = nil, observe: ((String) -> Void)? = nil) throws {
        let fm = FileManager.default
        let parent = directory.deletingLastPathComponent()
        try fm.createDirectory(at: parent, withIntermediateDirectories: true)
        let body = { (registry: inout Interrupts.Registry) throws in
            // Checked again: the folder may have changed while the search ran.
            _ = try Self.check(directory.path)
            let staging = parent.appendingPathComponent(".xpert-\(getpid())-\(String(UInt32.random(in: 0...UInt32.max), radix: 16)).tmp")
            registry.paths.insert(staging.path)
            defer {
                try? fm.removeItem(at: staging)
                registry.paths.remove(staging.path)
            }
            try fm.createDirectory(at: staging, withIntermediateDirectories: false)
            observe?("staging created")
            for file in files {
                try file.data.write(to: staging.appendingPathComponent(file.name))
                observe?("wrote \(file.name)")
            }
            if fm.fileExists(atPath: directory.path) {
                if xpert_rename_exchange(staging.path, directory.path) == 0 {
                    observe?("exchanged")
                } else if errno == ENOSYS || errno == EINVAL {
                    // A file system without atomic exchange: two renames, still inside the
                    // critical section, so an interrupt cannot fall between them.
                    let retired = parent.appendingPathComponent(staging.lastPathComponent + ".old")
                    try fm.moveItem(at: directory, to: retired)
                    observe?("old moved aside")
                    do { try fm.moveItem(at: staging, to: directory) } catch {
                        try? fm.moveItem(at: retired, to: directory)
                        throw error
                    }
                    observe?("new moved in")
                    try? fm.removeItem(at: retired)
                } else {
                    throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO)
                }
            } else {
                guard rename(staging.path, directory.path) == 0 else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
                observe?("renamed")
            }
        }
        if let interrupts {
            try interrupts.critical(body)
        } else {
            var registry = Interrupts.Registry()
            try body(&registry)
        }
        observe?("done")
    }
}
