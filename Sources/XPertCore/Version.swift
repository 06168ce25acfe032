/// The tool's version, reported by `--version` and in `run.json`.
public enum XPertVersion {
    public static let string = "0.1.0"
}
