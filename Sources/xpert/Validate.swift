import ArgumentParser
import XPertCore

struct Validate: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Check a search space and print its size; exit status 2 on the first error.")

    @Argument(help: "The search-space JSON file.")
    var space: String

    func run() throws {
        let s = try loadSpace(space)
        let size = SpaceSize(workload: s.workload)
        let accuracy = s.accuracy.map { ", accuracy by the \($0.estimator.name) estimator" } ?? ""
        print("\(space): ok: \(s.workload.layers.count) layers, \(size.description) joint design points\(accuracy)")
    }
}
