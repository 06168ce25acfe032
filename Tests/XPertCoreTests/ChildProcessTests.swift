import Foundation
import Testing
@testable import XPertCore

/// The child-process runner against programs that misbehave with their input.
@Suite("Child processes")
struct ChildProcessTests {
    @Test("a program that exits without reading a large input does not end the caller (no SIGPIPE)")
    func exitWithoutReading() {
        // 8 MiB cannot fit the pipe: writes go on after the program has exited, into a pipe
        // without a reader, which raises SIGPIPE unless the runner blocks it.
        let input = Data(repeating: 0x61, count: 8 << 20)
        for _ in 0..<5 {
            let child = ChildProcess(executable: URL(fileURLWithPath: "/bin/sh"), arguments: ["-c", "exit 3"],
                                     directory: URL(fileURLWithPath: "/"), timeoutS: 10)
            let outcome = child.run(input: input)
            #expect(outcome.termination == .exited(3))
        }
    }
}
