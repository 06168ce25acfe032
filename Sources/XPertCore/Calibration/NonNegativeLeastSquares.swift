/// Least squares with non-negative unknowns (Lawson and Hanson, "Solving Least Squares
/// Problems", 1974, algorithm NNLS): minimise `|A x - b|` over `x >= 0`.
public enum NonNegativeLeastSquares {
    /// `a[i][j]`: row i, column j. Returns x (one per column).
    public static func solve(_ a: [[Double]], _ b: [Double]) -> [Double] {
        let m = a.count, n = a.first?.count ?? 0
        precondition(b.count == m && a.allSatisfy { $0.count == n })
        var x = [Double](repeating: 0, count: n)
        guard n > 0, m > 0 else { return x }
        var passive = [Bool](repeating: false, count: n)
        let tolerance = 1e-12 * max(1, a.flatMap { $0 }.map(abs).max() ?? 1)
        func residual(_ x: [Double]) -> [Double] { (0..<m).map { i in b[i] - (0..<n).reduce(0) { $0 + a[i][$1] * x[$1] } } }
        func gradient(_ r: [Double]) -> [Double] { (0..<n).map { j in (0..<m).reduce(0) { $0 + a[$1][j] * r[$1] } } }
        /// Least squares on the passive columns (the others held at 0).
        func unconstrained(_ set: [Int]) -> [Double] {
            let k = set.count
            var normal = [[Double]](repeating: [Double](repeating: 0, count: k + 1), count: k)
            for (p, j) in set.enumerated() {
                for (q, jj) in set.enumerated() { normal[p][q] = (0..<m).reduce(0) { $0 + a[$1][j] * a[$1][jj] } }
                normal[p][k] = (0..<m).reduce(0) { $0 + a[$1][j] * b[$1] }
                normal[p][p] += 1e-12 * (1 + normal[p][p])
            }
            return Self.gaussian(normal)
        }
        for _ in 0..<(3 * n + 10) {
            let w = gradient(residual(x))
            guard let j = (0..<n).filter({ !passive[$0] && w[$0] > tolerance }).max(by: { w[$0] < w[$1] }) else { break }
            passive[j] = true
            while true {
                let set = (0..<n).filter { passive[$0] }
                let z = unconstrained(set)
                if z.allSatisfy({ $0 > 0 }) {
                    for (p, jj) in set.enumerated() { x[jj] = z[p] }
                    break
                }
                var alpha = 1.0
                for (p, jj) in set.enumerated() where z[p] <= 0 { alpha = min(alpha, x[jj] / (x[jj] - z[p])) }
                for (p, jj) in set.enumerated() { x[jj] += alpha * (z[p] - x[jj]) }
                for jj in set where x[jj] <= tolerance { x[jj] = 0; passive[jj] = false }
                if !passive.contains(true) { break }
            }
        }
        return x
    }

    /// Solves the augmented system `[M | v]` by Gaussian elimination with partial pivoting.
    static func gaussian(_ system: [[Double]]) -> [Double] {
        var s = system
        let k = s.count
        for c in 0..<k {
            let pivot = (c..<k).max { abs(s[$0][c]) < abs(s[$1][c]) }!
            s.swapAt(c, pivot)
            guard abs(s[c][c]) > 0 else { continue }
            for r in 0..<k where r != c {
                let f = s[r][c] / s[c][c]
                if f != 0 { for cc in c...k { s[r][cc] -= f * s[c][cc] } }
            }
        }
        return (0..<k).map { s[$0][$0] == 0 ? 0 : s[$0][k] / s[$0][$0] }
    }
}
