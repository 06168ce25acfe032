import Foundation

/// An SVG scatter plot of a frontier: two objectives on the axes, a third as colour, and
/// the baseline design marked.
public struct ParetoPlot: Sendable {
    public struct Point: Sendable {
        public var x: Double, y: Double, colour: Double
        public var label: String
        public init(x: Double, y: Double, colour: Double, label: String) {
            (self.x, self.y, self.colour, self.label) = (x, y, colour, label)
        }
    }

    public var title: String
    public var xLabel: String, yLabel: String, colourLabel: String
    public var points: [Point]
    public var baseline: Point?

    public init(title: String, xLabel: String, yLabel: String, colourLabel: String, points: [Point], baseline: Point?) {
        self.title = title
        self.xLabel = xLabel
        self.yLabel = yLabel
        self.colourLabel = colourLabel
        self.points = points
        self.baseline = baseline
    }

    static let width = 720.0, height = 520.0
    static let left = 90.0, right = 150.0, top = 50.0, bottom = 70.0

    public var svg: String {
        let all = points + (baseline.map { [$0] } ?? [])
        let xs = Self.niceRange(all.map(\.x)), ys = Self.niceRange(all.map(\.y))
        let cs = (points.map(\.colour).min() ?? 0, points.map(\.colour).max() ?? 1)
        let plotW = Self.width - Self.left - Self.right, plotH = Self.height - Self.top - Self.bottom
        func px(_ x: Double) -> Double { Self.left + (x - xs.lo) / (xs.hi - xs.lo) * plotW }
        func py(_ y: Double) -> Double { Self.top + plotH - (y - ys.lo) / (ys.hi - ys.lo) * plotH }
        var s = """
            <svg xmlns="http://www.w3.org/2000/svg" width="\(Int(Self.width))" height="\(Int(Self.height))" \
            viewBox="0 0 \(Int(Self.width)) \(Int(Self.height))" font-family="sans-serif" font-size="12">
            <rect width="100%" height="100%" fill="white"/>
            <text x="\(Self.left)" y="28" font-size="16" font-weight="bold">\(Self.escape(title))</text>

            """
        // Axes, grid and ticks.
        for t in xs.ticks {
            s += "<line x1=\"\(f(px(t)))\" y1=\"\(f(Self.top))\" x2=\"\(f(px(t)))\" y2=\"\(f(Self.top + plotH))\" stroke=\"#e4e4e4\"/>\n"
            s += "<text x=\"\(f(px(t)))\" y=\"\(f(Self.top + plotH + 18))\" text-anchor=\"middle\">\(Self.tick(t, step: xs.step))</text>\n"
        }
        for t in ys.ticks {
            s += "<line x1=\"\(f(Self.left))\" y1=\"\(f(py(t)))\" x2=\"\(f(Self.left + plotW))\" y2=\"\(f(py(t)))\" stroke=\"#e4e4e4\"/>\n"
            s += "<text x=\"\(f(Self.left - 8))\" y=\"\(f(py(t) + 4))\" text-anchor=\"end\">\(Self.tick(t, step: ys.step))</text>\n"
        }
        s += "<rect x=\"\(f(Self.left))\" y=\"\(f(Self.top))\" width=\"\(f(plotW))\" height=\"\(f(plotH))\" fill=\"none\" stroke=\"#333\"/>\n"
        s += "<text x=\"\(f(Self.left + plotW / 2))\" y=\"\(f(Self.height - 22))\" text-anchor=\"middle\">\(Self.escape(xLabel))</text>\n"
        s += "<text transform=\"translate(24 \(f(Self.top + plotH / 2))) rotate(-90)\" text-anchor=\"middle\">\(Self.escape(yLabel))</text>\n"
        // Points, coloured by the third objective.
        for p in points {
            let t = cs.1 > cs.0 ? (p.colour - cs.0) / (cs.1 - cs.0) : 0.5
            s += "<circle cx=\"\(f(px(p.x)))\" cy=\"\(f(py(p.y)))\" r=\"5\" fill=\"\(Self.colour(t))\" stroke=\"#222\" stroke-width=\"0.5\">"
            s += "<title>\(Self.escape(p.label))</title></circle>\n"
        }
        if let b = baseline {
            let (x, y) = (px(b.x), py(b.y))
            s += "<path d=\"M\(f(x - 7)) \(f(y - 7))L\(f(x + 7)) \(f(y + 7))M\(f(x - 7)) \(f(y + 7))L\(f(x + 7)) \(f(y - 7))\" stroke=\"#d62728\" stroke-width=\"3\"><title>\(Self.escape(b.label))</title></path>\n"
            let onRight = x > Self.left + plotW * 0.75
            s += "<text x=\"\(f(onRight ? x - 10 : x + 10))\" y=\"\(f(y - 8))\" fill=\"#d62728\" text-anchor=\"\(onRight ? "end" : "start")\">baseline</text>\n"
        }
        // Colour bar.
        let barX = Self.width - Self.right + 30, barH = plotH * 0.6
        s += "<defs><linearGradient id=\"bar\" x1=\"0\" y1=\"1\" x2=\"0\" y2=\"0\">"
        for i in 0...4 { s += "<stop offset=\"\(Double(i) / 4)\" stop-color=\"\(Self.colour(Double(i) / 4))\"/>" }
        s += "</linearGradient></defs>\n"
        s += "<rect x=\"\(f(barX))\" y=\"\(f(Self.top))\" width=\"16\" height=\"\(f(barH))\" fill=\"url(#bar)\" stroke=\"#333\"/>\n"
        s += "<text x=\"\(f(barX + 22))\" y=\"\(f(Self.top + 10))\">\(Self.tick(cs.1))</text>\n"
        s += "<text x=\"\(f(barX + 22))\" y=\"\(f(Self.top + barH))\">\(Self.tick(cs.0))</text>\n"
        s += "<text x=\"\(f(barX))\" y=\"\(f(Self.top + barH + 22))\">\(Self.escape(colourLabel))</text>\n"
        s += "</svg>\n"
        return s
    }

    private func f(_ v: Double) -> String { String(format: "%.1f", v) }

    /// Axis range padded to round tick values.
    static func niceRange(_ values: [Double]) -> (lo: Double, hi: Double, step: Double, ticks: [Double]) {
        var lo = values.min() ?? 0, hi = values.max() ?? 1
        if hi - lo <= abs(hi) * 1e-9 { let pad = max(abs(hi) * 0.1, 1e-9); lo -= pad; hi += pad }
        let raw = (hi - lo) / 5
        let magnitude = pow(10, floor(log10(raw)))
        let step = [1.0, 2, 2.5, 5, 10].map { $0 * magnitude }.first { $0 >= raw } ?? 10 * magnitude
        lo = floor(lo / step) * step
        hi = ceil(hi / step) * step
        let ticks = stride(from: lo, through: hi + step / 2, by: step).map { $0 }
        return (lo, hi, step, ticks)
    }

    /// A tick label with as many decimals as the tick step needs.
    static func tick(_ v: Double, step: Double) -> String {
        if v == 0 { return "0" }
        if abs(v) >= 1e5 || step < 1e-4 { return String(format: "%.3g", v) }
        let decimals = max(0, Int((-log10(step)).rounded(.up)) + (step * pow(10, (-log10(step)).rounded(.up)) == 2.5 ? 1 : 0))
        return String(format: "%.\(decimals)f", v)
    }

    /// A colour-bar label.
    static func tick(_ v: Double) -> String { String(format: "%.4g", v) }

    /// A viridis-like ramp from dark blue (0) to yellow (1).
    static func colour(_ t: Double) -> String {
        let stops: [(Double, Double, Double)] = [(68, 1, 84), (59, 82, 139), (33, 145, 140), (94, 201, 98), (253, 231, 37)]
        let x = min(max(t, 0), 1) * Double(stops.count - 1)
        let i = min(Int(x), stops.count - 2), u = x - Double(i)
        let a = stops[i], b = stops[i + 1]
        let c = (a.0 + (b.0 - a.0) * u, a.1 + (b.1 - a.1) * u, a.2 + (b.2 - a.2) * u)
        return String(format: "#%02x%02x%02x", Int(c.0.rounded()), Int(c.1.rounded()), Int(c.2.rounded()))
    }

    static func escape(_ s: String) -> String {
        s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }
}
