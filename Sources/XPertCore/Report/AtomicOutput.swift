import Foundation

/// Writes a results folder all at once: files go to a hidden temporary folder beside the
/// target, which then replaces the target by rename, so a failed or interrupted run leaves
/// either the old results or the new ones, never a mix or a partial file.
public struct AtomicOutput {
    public let directory: URL
    private var files: [(name: String, data: Data)] = []

    public init(directory: URL) { self.directory = directory }

    public mutating func add(_ name: String, _ text: String) { files.append((name, Data(text.utf8))) }

    public func commit() throws {
        let fm = FileManager.default
        let parent = directory.deletingLastPathComponent()
        try fm.createDirectory(at: parent, withIntermediateDirectories: true)
        let token = "\(ProcessInfo.processInfo.processIdentifier)-\(UInt32.random(in: 0...UInt32.max))"
        let staging = parent.appendingPathComponent(".\(directory.lastPathComponent).tmp-\(token)")
        let retired = parent.appendingPathComponent(".\(directory.lastPathComponent).old-\(token)")
        try fm.createDirectory(at: staging, withIntermediateDirectories: false)
        do {
            for file in files { try file.data.write(to: staging.appendingPathComponent(file.name)) }
            var hadOld = false
            if fm.fileExists(atPath: directory.path) {
                try fm.moveItem(at: directory, to: retired)
                hadOld = true
            }
            do { try fm.moveItem(at: staging, to: directory) } catch {
                if hadOld { try? fm.moveItem(at: retired, to: directory) }
                throw error
            }
            if hadOld { try? fm.removeItem(at: retired) }
        } catch {
            try? fm.removeItem(at: staging)
            throw error
        }
    }
}
