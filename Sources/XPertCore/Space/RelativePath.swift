import Foundation

extension URL {
    /// A path from a search space: absolute as given, else relative to `base` (the space's folder).
    static func resolving(_ path: String, against base: URL) -> URL {
        path.hasPrefix("/") ? URL(fileURLWithPath: path) : base.appendingPathComponent(path)
    }
}
