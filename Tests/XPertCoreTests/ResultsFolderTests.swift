import Foundation
import Testing
@testable import XPertCore

@Suite("Results folder")
struct ResultsFolderTests {
    static func tempDir() throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("xpert-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        return dir
    }

    static func contents(_ dir: URL) -> [String: String] {
        var out: [String: String] = [:]
        for name in (try? FileManager.default.contentsOfDirectory(atPath: dir.path)) ?? [] {
            out[name] = (try? String(contentsOf: dir.appendingPathComponent(name), encoding: .utf8)) ?? "<unreadable>"
        }
        return out
    }

    static func folder(_ dir: URL, tag: String) -> ResultsFolder {
        var f = ResultsFolder(checked: dir)
        f.add("run.json", "{\"tool\": \"xpert\", \"tag\": \"\(tag)\"}\n")
        f.add("pareto.csv", "design_id,\(tag)\r\n")
        f.add("designs.json", "[\"\(tag)\"]\n")
        return f
    }

    /// After every change on disk while a results folder replaces another, the target holds
    /// the complete old files or the complete new ones, never a mix or nothing.
    @Test func replacementIsCompleteAtEveryStep() throws {
        let parent = try Self.tempDir()
        let target = parent.appendingPathComponent("res")
        try Self.folder(target, tag: "old").commit()
        let old = Self.contents(target)
        #expect(old.count == 3)
        var steps: [String] = []
        try Self.folder(target, tag: "new").commit { step in
            steps.append(step)
            let now = Self.contents(target)
            #expect(now == old || now.values.allSatisfy { $0.contains("new") } && now.count == 3, "after \(step): \(now)")
        }
        #expect(steps.contains("exchanged"))
        #expect(Self.contents(target).values.allSatisfy { $0.contains("new") })
        #expect(try FileManager.default.contentsOfDirectory(atPath: parent.path) == ["res"])
    }

    @Test func aFirstCommitRenamesIntoPlace() throws {
        let parent = try Self.tempDir()
        let target = parent.appendingPathComponent("a/b/res")
        try Self.folder(target, tag: "x").commit()
        #expect(Self.contents(target).count == 3)
    }

    @Test func checkRefusesWhatXPertDidNotWrite() throws {
        let dir = try Self.tempDir()
        let fm = FileManager.default
        try fm.createDirectory(at: dir.appendingPathComponent("user"), withIntermediateDirectories: true)
        try Data("x".utf8).write(to: dir.appendingPathComponent("user/data.bin"))
        try Data("x".utf8).write(to: dir.appendingPathComponent("file.txt"))
        try Self.folder(dir.appendingPathComponent("results"), tag: "r").commit()
        try Data("x".utf8).write(to: dir.appendingPathComponent("results/mine.txt"))
        try Self.folder(dir.appendingPathComponent("clean"), tag: "c").commit()
        let here = dir.appendingPathComponent("user").path
        for (path, refused) in [("", true), (".", true), ("..", true), ("../..", true), (dir.path + "/user", true),
                                ("../file.txt", true), ("../results", true), ("../clean", false), ("../new", false),
                                ("sub/folder", false)] {
            let outcome = Result { () throws(ResultsFolder.Refused) -> URL in try ResultsFolder.check(path, currentDirectory: here) }
            if case .success = outcome { #expect(!refused, "\(path) was accepted") } else { #expect(refused, "\(path) was refused") }
        }
    }
}
