import CPosixShims
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// One run of an external program: standard input given, the ends of standard output and
/// error kept in memory (never more than the limits, whatever the program prints), a
/// deadline, and the program's whole process group ended when it exits, times out or the run
/// is interrupted.
public struct ChildProcess: Sendable {
    public enum Termination: Sendable, Hashable {
        case exited(Int32)
        case signalled(Int32)
        /// The deadline passed; the process group was killed.
        case timedOut
        /// The program could not be started (the message says why).
        case launchFailed(String)
    }

    public struct Outcome: Sendable {
        public var termination: Termination
        /// The last `stdoutLimit` bytes of standard output.
        public var stdout: Data
        /// The last `stderrLimit` bytes of standard error.
        public var stderr: Data
        /// Whether output was cut at its limit (its beginning dropped).
        public var stdoutCut: Bool
        public var stderrCut: Bool
        /// Peak resident memory of the program (not its children), KiB; 0 when not started.
        public var peakMemoryKB: Int = 0
        /// Wall time from start to end, seconds.
        public var seconds: Double = 0
    }

    public var executable: URL
    public var arguments: [String]
    public var directory: URL
    public var timeoutS: Double
    public var stdoutLimit: Int
    public var stderrLimit: Int
    /// Seconds between SIGTERM and SIGKILL when the deadline passes.
    public var killGraceS: Double = 2
    /// Seconds to keep reading the pipes after the program ended (a descendant outside its
    /// process group may hold them open).
    public var drainS: Double = 1

    public init(executable: URL, arguments: [String], directory: URL, timeoutS: Double,
                stdoutLimit: Int = 1 << 16, stderrLimit: Int = 4000) {
        self.executable = executable
        self.arguments = arguments
        self.directory = directory
        self.timeoutS = timeoutS
        self.stdoutLimit = stdoutLimit
        self.stderrLimit = stderrLimit
    }

    /// Runs the program with `input` on its standard input and waits for it.
    public func run(input: Data, interrupts: Interrupts? = nil) -> Outcome {
        var inPipe: [Int32] = [-1, -1], outPipe: [Int32] = [-1, -1], errPipe: [Int32] = [-1, -1]
        func closeAll() { for fd in inPipe + outPipe + errPipe where fd >= 0 { close(fd) } }
        guard xpert_pipe(&inPipe, 1) == 0, xpert_pipe(&outPipe, 0) == 0, xpert_pipe(&errPipe, 0) == 0 else {
            let message = String(cString: strerror(errno))
            closeAll()
            return Outcome(termination: .launchFailed("cannot create pipes: \(message)"), stdout: Data(), stderr: Data(),
                           stdoutCut: false, stderrCut: false)
        }
        // Start the child and register its process group in one step, so an interrupt either
        // comes before the child exists or finds it registered.
        let spawn = { () -> (Int32, pid_t) in
            var pid: pid_t = 0
            let argv = [executable.path] + arguments
            var cArgs = argv.map { strdup($0) } + [nil]
            defer { for p in cArgs { free(p) } }
            let rc = directory.path.withCString { dir in
                executable.path.withCString { path in
                    xpert_spawn(path, &cArgs, dir, inPipe[0], outPipe[1], errPipe[1], &pid)
                }
            }
            return (rc, pid)
        }
        let (rc, pid) = interrupts?.critical { registry -> (Int32, pid_t) in
            let result = spawn()
            if result.0 == 0 { registry.processGroups.insert(result.1) }
            return result
        } ?? spawn()
        // The child's ends belong to the child now.
        close(inPipe[0]); close(outPipe[1]); close(errPipe[1])
        inPipe[0] = -1; outPipe[1] = -1; errPipe[1] = -1
        guard rc == 0 else {
            closeAll()
            return Outcome(termination: .launchFailed("\(executable.path): \(String(cString: strerror(rc)))"), stdout: Data(),
                           stderr: Data(), stdoutCut: false, stderrCut: false)
        }

        var out = TailBuffer(limit: stdoutLimit), err = TailBuffer(limit: stderrLimit)
        var pending = input[...]
        var stdinOpen = true
        let start = Date()
        var termination: Termination?
        var timedOut = false
        var termSentAt: Date?
        var peakKB = 0

        func pump(timeoutMS: Int32) {
            var fds: [pollfd] = []
            if outPipe[0] >= 0 { fds.append(pollfd(fd: outPipe[0], events: Int16(POLLIN), revents: 0)) }
            if errPipe[0] >= 0 { fds.append(pollfd(fd: errPipe[0], events: Int16(POLLIN), revents: 0)) }
            if stdinOpen { fds.append(pollfd(fd: inPipe[1], events: Int16(POLLOUT), revents: 0)) }
            if fds.isEmpty { usleep(UInt32(timeoutMS) * 1000); return }
            _ = poll(&fds, nfds_t(fds.count), timeoutMS)
            if outPipe[0] >= 0, !Self.drain(outPipe[0], into: &out) { close(outPipe[0]); outPipe[0] = -1 }
            if errPipe[0] >= 0, !Self.drain(errPipe[0], into: &err) { close(errPipe[0]); errPipe[0] = -1 }
            if stdinOpen {
                while !pending.isEmpty {
                    // A program that exits without reading its input must not end this process.
                    let n = pending.withUnsafeBytes { xpert_write_nosigpipe(inPipe[1], $0.baseAddress, $0.count) }
                    if n > 0 { pending = pending.dropFirst(n) } else { break }
                    if n < 0 && errno != EAGAIN && errno != EINTR { pending = pending.prefix(0) }
                }
                if pending.isEmpty || (fds.last?.revents ?? 0) & Int16(POLLERR | POLLHUP) != 0 {
                    close(inPipe[1]); inPipe[1] = -1
                    stdinOpen = false
                }
            }
        }

        while termination == nil {
            pump(timeoutMS: 20)
            if xpert_child_ended(pid) == 1 {
                // End whatever the program left running in its group, then reap it.
                kill(-pid, SIGKILL)
                var code: Int32 = 0, sig: Int32 = 0, peak = 0
                _ = xpert_reap(pid, &code, &sig, &peak)
                peakKB = peak
                termination = timedOut ? .timedOut : sig != 0 ? .signalled(sig) : .exited(code)
                break
            }
            let elapsed = Date().timeIntervalSince(start)
            if !timedOut, elapsed > timeoutS {
                timedOut = true
                termSentAt = Date()
                kill(-pid, SIGTERM)
            } else if let sent = termSentAt, Date().timeIntervalSince(sent) > killGraceS {
                kill(-pid, SIGKILL)
                termSentAt = nil
            }
        }
        // Read what is left; stop at end of file or after `drainS`.
        let drainStart = Date()
        while (outPipe[0] >= 0 || errPipe[0] >= 0), Date().timeIntervalSince(drainStart) < drainS { pump(timeoutMS: 20) }
        closeAll()
        interrupts?.critical { _ = $0.processGroups.remove(pid) }
        return Outcome(termination: termination!, stdout: out.data, stderr: err.data, stdoutCut: out.cut, stderrCut: err.cut,
                       peakMemoryKB: peakKB, seconds: Date().timeIntervalSince(start))
    }

    /// Reads what `fd` has now (at most 1 MiB, so a program that prints without end cannot
    /// hold the caller); false at end of file or on an error.
    static func drain(_ fd: Int32, into buffer: inout TailBuffer) -> Bool {
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        for _ in 0..<16 {
            let n = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if n > 0 { buffer.append(chunk[0..<n]); continue }
            if n == 0 { return false }
            return errno == EAGAIN || errno == EINTR
        }
        return true
    }
}

/// The last `limit` bytes of a stream.
struct TailBuffer {
    let limit: Int
    private(set) var data = Data()
    private(set) var cut = false

    init(limit: Int) { self.limit = limit }

    mutating func append(_ bytes: ArraySlice<UInt8>) {
        data.append(contentsOf: bytes)
        if data.count > limit {
            data = Data(data.suffix(limit))
            cut = true
        }
    }
}
