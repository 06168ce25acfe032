import Foundation
@testable import XPertCore

/// Paths and small documents the tests share.
enum Fixtures {
    /// The repository root, found from this file's location.
    static let repoRoot: URL = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static func spacePath(_ name: String) -> String { repoRoot.appendingPathComponent("SearchSpaces/\(name).json").path }

    /// A small valid space: 3 conv layers and a classifier, two channel choices.
    static let smallSpaceText = """
    {
      "name": "small",
      "seed": 7,
      "workload": {
        "input": {"height": 8, "width": 8, "channels": 3},
        "weight_bits": 8, "activation_bits": 8,
        "layers": [
          {"name": "c1", "type": "conv", "kernel": 3, "padding": 1, "out_channels": {"choices": [8, 16]}},
          {"name": "c2", "type": "conv", "kernel": 3, "padding": 1, "out_channels": {"choices": [16, 32]}, "pool": {"kernel": 2}},
          {"name": "c3", "type": "conv", "kernel": 3, "stride": 2, "padding": 1, "out_channels": 32},
          {"name": "fc", "type": "linear", "out_channels": 10}
        ]
      },
      "hardware": {"technology_nm": 32, "cell": "rram-1t1r", "crossbar": {"rows": 64, "cols": 64}},
      "choices": {"adc_type": ["sar", "flash"], "adc_bits": [4, 6], "column_sharing": [4, 8], "input_bits": [4, 8]},
      "constraints": {"area_mm2": 50}
    }
    """

    static var smallSpaceJSON: JSONValue { try! JSONValue.parse(Data(smallSpaceText.utf8)) }

    static func smallSpace() throws -> SearchSpace { try SearchSpace.read(JSONNode(smallSpaceJSON)) }

    /// Parses the error of reading `value` as a space; nil when it reads fine.
    static func readError(_ value: JSONValue) -> InputError? {
        do { _ = try SearchSpace.read(JSONNode(value)); return nil } catch let e as InputError { return e } catch {
            return InputError(path: "?", "unexpected error \(error)")
        }
    }
}

/// One step of a path into a JSON document.
enum PathStep { case key(String), index(Int) }

extension JSONValue {
    /// A copy with the value at `path` replaced (nil removes an object member).
    func setting(_ path: [PathStep], to newValue: JSONValue?) -> JSONValue {
        guard let first = path.first else { return newValue ?? .null }
        let rest = Array(path.dropFirst())
        switch (self, first) {
        case let (.object(members), .key(k)):
            var out = members
            if let i = out.firstIndex(where: { $0.key == k }) {
                if rest.isEmpty && newValue == nil { out.remove(at: i) } else { out[i].value = out[i].value.setting(rest, to: newValue) }
            } else if let newValue {
                out.append((k, JSONValue.null.setting(rest, to: newValue)))
            }
            return .object(out)
        case let (.array(items), .index(i)):
            var out = items
            out[i] = out[i].setting(rest, to: newValue)
            return .array(out)
        default:
            return self
        }
    }
}
