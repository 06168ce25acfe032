import Foundation
import Testing

/// `--out` never replaces what xpert did not write, and interrupts leave no partial results.
@Suite("Results folder safety")
struct OutputSafetyCLITests {
    /// A fresh folder holding a file and a folder of a user's.
    static func workspace() throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("xpert-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir.appendingPathComponent("notes"), withIntermediateDirectories: true)
        try Data("mine".utf8).write(to: dir.appendingPathComponent("notes/todo.txt"))
        try Data("mine".utf8).write(to: dir.appendingPathComponent("report.txt"))
        return dir
    }

    /// Every file below `dir` with its bytes.
    static func snapshot(_ dir: URL) -> [String: Data] {
        var out: [String: Data] = [:]
        let e = FileManager.default.enumerator(at: dir, includingPropertiesForKeys: nil)
        while let url = e?.nextObject() as? URL {
            if let d = try? Data(contentsOf: url) { out[url.path.replacingOccurrences(of: dir.path, with: "")] = d }
        }
        return out
    }

    @Test("refused targets exit 2, write nothing and change nothing",
          arguments: ["", ".", "..", "notes", "report.txt", "/", "notes/.."])
    func refusedTargets(out: String) throws {
        let dir = try Self.workspace()
        let before = Self.snapshot(dir)
        let r = try CLI.run(["search", CLI.space("resnet18-tinyimagenet"), "--out", out, "--quiet"], in: dir)
        #expect(r.status == 2, "\(r.stderr)")
        #expect(r.stderr.hasPrefix("error: --out "))
        #expect(r.stderr.split(separator: "\n").count == 1)
        #expect(Self.snapshot(dir) == before)
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path).sorted() == ["notes", "report.txt"])
    }

    @Test func aSymbolicLinkIsRefused() throws {
        let dir = try Self.workspace()
        try FileManager.default.createSymbolicLink(atPath: dir.appendingPathComponent("link").path, withDestinationPath: "notes")
        let r = try CLI.run(["search", CLI.space("resnet18-tinyimagenet"), "--out", "link", "--quiet"], in: dir)
        #expect(r.status == 2)
        #expect(FileManager.default.fileExists(atPath: dir.appendingPathComponent("notes/todo.txt").path))
    }

    @Test func anEmptyFolderReceivesResults() throws {
        let dir = try Self.workspace()
        try FileManager.default.createDirectory(at: dir.appendingPathComponent("empty"), withIntermediateDirectories: false)
        let r = try CLI.run(["search", CLI.space("resnet18-tinyimagenet"), "--out", "empty", "--quiet"], in: dir)
        #expect(r.status == 0, "\(r.stderr)")
        #expect(FileManager.default.fileExists(atPath: dir.appendingPathComponent("empty/pareto.csv").path))
    }

    /// SIGTERM while the accuracy program runs: exit 143, the earlier results intact, no
    /// hidden folder, and the program (and its children) gone.
    @Test func sigtermDuringTheAccuracyProgram() throws {
        let dir = try Self.workspace()
        let log = dir.appendingPathComponent("calls.log").path
        var text = try CLI.relocatedSpaceText("vgg8-cifar10")
        text = text.replacingOccurrences(of: "\"timeout_s\": 60", with: "\"timeout_s\": 120")
        // The program forks a child that outlives it unless its process group is killed.
        let script = dir.appendingPathComponent("slow.sh")
        try Data("#!/bin/sh\necho start $$ >> \(log)\nsleep 300 &\necho child $! >> \(log)\nwait\necho 50\n".utf8).write(to: script)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: script.path)
        let space = try Self.replaceArgv(text, with: [script.path], cache: dir.appendingPathComponent("cache").path)
        let spacePath = dir.appendingPathComponent("space.json")
        try Data(space.utf8).write(to: spacePath)
        // An earlier results folder at the same place.
        let earlier = try CLI.run(["search", CLI.space("resnet18-tinyimagenet"), "--out", "res", "--quiet"], in: dir)
        #expect(earlier.status == 0)
        let before = Self.snapshot(dir.appendingPathComponent("res"))

        let process = Process()
        process.executableURL = CLI.binary
        process.arguments = ["search", spacePath.path, "--out", "res", "--quiet"]
        process.currentDirectoryURL = dir
        process.standardError = FileHandle.nullDevice
        try process.run()
        // Wait for the program and its child to start.
        var pids: [Int32] = []
        for _ in 0..<600 where pids.count < 2 {
            usleep(50_000)
            let lines = (try? String(contentsOfFile: log, encoding: .utf8))?.split(separator: "\n") ?? []
            pids = lines.compactMap { $0.split(separator: " ").last.flatMap { Int32($0) } }
        }
        #expect(pids.count == 2, "the accuracy program did not start")
        kill(process.processIdentifier, SIGTERM)
        // xpert ends within seconds; its program's processes must be gone by then.
        for _ in 0..<100 where Self.isRunning(process.processIdentifier) { usleep(50_000) }
        #expect(!Self.isRunning(process.processIdentifier))
        usleep(200_000)
        for pid in pids { #expect(!Self.isRunning(pid), "process \(pid) of the accuracy program is still running") }
        for pid in pids { kill(pid, SIGKILL) }
        process.waitUntilExit()
        #expect(process.terminationStatus == 143)
        #expect(Self.snapshot(dir.appendingPathComponent("res")) == before)
        // No staging folder is left; the noise-table cache beside the space is kept (its files
        // are complete: each is written whole, then renamed into place).
        let hidden = try FileManager.default.contentsOfDirectory(atPath: dir.path).filter { $0.hasPrefix(".") && $0 != ".xpert-cache" }
        #expect(hidden.isEmpty, "\(hidden)")
        let cache = dir.appendingPathComponent(".xpert-cache").path
        let cached = (try? FileManager.default.contentsOfDirectory(atPath: cache)) ?? []
        #expect(cached.allSatisfy { $0.hasPrefix("noise-") && $0.hasSuffix(".json") }, "\(cached)")
    }

    /// SIGKILL at random moments of runs that end by replacing a results folder: the folder is
    /// always complete, old or new.
    @Test func killedAtRandomTheFolderIsOldOrNew() throws {
        let dir = try Self.workspace()
        let old = try CLI.run(["search", CLI.space("vgg8-cifar10"), "--out", "res", "--quiet"], in: dir)
        #expect(old.status == 0)
        let oldFiles = Self.snapshot(dir.appendingPathComponent("res"))
        let newSpace = CLI.space("resnet18-tinyimagenet")
        var seenNew = false
        var rng = SystemRandomNumberGenerator()
        for _ in 0..<12 {
            let process = Process()
            process.executableURL = CLI.binary
            process.arguments = ["search", newSpace, "--out", "res", "--quiet"]
            process.currentDirectoryURL = dir
            process.standardOutput = FileHandle.nullDevice
            try process.run()
            usleep(UInt32.random(in: 100_000...600_000, using: &rng))
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            let now = Self.snapshot(dir.appendingPathComponent("res"))
            let names = Set(now.keys.map { URL(fileURLWithPath: $0).lastPathComponent })
            #expect(names.isSuperset(of: ["pareto.csv", "designs.json", "breakdown.csv", "pareto.svg", "run.json"]), "\(names)")
            let isOld = now == oldFiles
            let isNew = (now["/run.json"].map { String(decoding: $0, as: UTF8.self).contains("resnet18") }) ?? false
            #expect(isOld || isNew)
            seenNew = seenNew || isNew
        }
        _ = seenNew
    }

    /// Whether `pid` is a live process (a zombie waiting for its reaper is not).
    static func isRunning(_ pid: Int32) -> Bool {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
              let close = stat.lastIndex(of: ")") else { return false }
        let state = stat[stat.index(close, offsetBy: 2)]
        return state != "Z" && state != "X"
    }

    /// The space text with the accuracy program and cache replaced.
    static func replaceArgv(_ text: String, with argv: [String], cache: String) throws -> String {
        var object = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
        var accuracy = try #require(object["accuracy"] as? [String: Any])
        accuracy["argv"] = argv
        accuracy["cache_dir"] = cache
        object["accuracy"] = accuracy
        return String(decoding: try JSONSerialization.data(withJSONObject: object), as: UTF8.self)
    }
}
