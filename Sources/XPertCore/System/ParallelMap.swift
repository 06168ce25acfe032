import Dispatch
import Foundation

/// The one parallel map: `body(i)` for every index, on at most `threads` workers, each result
/// stored at its own index, so the output is the same whatever the thread count and timing.
/// Workers take the next task from a shared counter (in order of decreasing `cost` when given,
/// ties by index), so uneven tasks balance.
public enum ParallelMap {
    /// How the workers run.
    public enum Workers: Sendable {
        /// On the shared pool (`DispatchQueue.concurrentPerform`): for work that computes.
        case compute
        /// On threads of their own: for work that mostly waits (child processes), so more
        /// workers than cores make progress.
        case blocking
    }

    public static func map<R: Sendable>(count: Int, threads: Int, cost: [Double]? = nil, workers: Workers = .compute,
                                        _ body: @escaping @Sendable (Int) -> R) -> [R] {
        if count == 0 { return [] }
        if threads <= 1 || count <= 1 { return (0..<count).map(body) }
        let order: [Int] = cost.map { c in (0..<count).sorted { (-c[$0], $0) < (-c[$1], $1) } } ?? Array(0..<count)
        let box = Slots<R>(count: count)
        let width = min(threads, count)
        let work: @Sendable () -> Void = {
            while let i = box.take() { box.store(body(order[i]), at: order[i]) }
        }
        switch workers {
        case .compute:
            DispatchQueue.concurrentPerform(iterations: width) { _ in work() }
        case .blocking:
            let group = DispatchGroup()
            for _ in 0..<width {
                group.enter()
                Thread { work(); group.leave() }.start()
            }
            group.wait()
        }
        return box.values()
    }

    /// `transform` of every item, in order.
    public static func map<T: Sendable, R: Sendable>(_ items: [T], threads: Int, _ transform: @escaping @Sendable (T) -> R) -> [R] {
        map(count: items.count, threads: threads) { transform(items[$0]) }
    }

    /// Result slots and the shared task counter.
    private final class Slots<R>: @unchecked Sendable {
        private var slots: [R?]
        private var next = 0
        private let lock = NSLock()
        init(count: Int) { slots = Array(repeating: nil, count: count) }
        func take() -> Int? {
            lock.lock(); defer { lock.unlock() }
            guard next < slots.count else { return nil }
            next += 1
            return next - 1
        }
        func store(_ value: R, at index: Int) {
            lock.lock(); defer { lock.unlock() }
            slots[index] = value
        }
        func values() -> [R] { slots.map { $0! } }
    }
}
