import Dispatch

/// Order-preserving parallel map over a fixed number of threads: each element's result is
/// stored at its own index, so the output is the same whatever the thread count.
public enum ParallelMap {
    public static func map<T: Sendable, R: Sendable>(_ items: [T], threads: Int, _ transform: @Sendable (T) -> R) -> [R] {
        let count = items.count
        if threads <= 1 || count <= 1 { return items.map(transform) }
        let box = ResultBox<R>(count: count)
        let workers = min(threads, count)
        DispatchQueue.concurrentPerform(iterations: workers) { w in
            var i = w
            while i < count {
                box.store(transform(items[i]), at: i)
                i += workers
            }
        }
        return box.values()
    }

    /// Slots written by distinct indices only, read after all writers joined.
    private final class ResultBox<R>: @unchecked Sendable {
        private let slots: UnsafeMutableBufferPointer<R?>
        init(count: Int) {
            slots = .allocate(capacity: count)
            slots.initialize(repeating: nil)
        }
        deinit {
            _ = slots.deinitialize()
            slots.deallocate()
        }
        func store(_ value: R, at index: Int) { slots[index] = value }
        func values() -> [R] { slots.map { $0! } }
    }
}
