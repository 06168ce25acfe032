import Foundation

/// An SVG scatter plot of a frontier: two objectives on the axes (each on a log scale when
/// its values span more than a decade), an optional third objective as colour, the baseline
/// marked, and design ids beside a readable subset of the points so that a static image can
/// be matched to `pareto.csv` rows.
public struct ParetoPlot: Sendable {
    public struct Point: Sendable {
        public var x: Double, y: Double
        /// The colour objective's value; nil when the plot has no colour objective.
        public var colour: Double?
        public var label: String
        public init(x: Double, y: Double, colour: Double?, label: String) {
            (self.x, self.y, self.colour, self.label) = (x, y, colour, label)
        }
    }

    public var title: String
    public var xLabel: String, yLabel: String
    /// The colour bar's label; nil: every point has one colour.
    public var colourLabel: String?
    /// Points in the order of `pareto.csv`.
    public var points: [Point]
    public var baseline: Point?

    public init(title: String, xLabel: String, yLabel: String, colourLabel: String?, points: [Point], baseline: Point?) {
        self.title = title
        self.xLabel = xLabel
        self.yLabel = yLabel
        self.colourLabel = colourLabel
        self.points = points
        self.baseline = baseline
    }

    static let width = 760.0, height = 560.0
    static let left = 90.0, right = 170.0, top = 56.0, bottom = 76.0
    /// Points labelled with their design id at most; the extremes of both axes come first.
    static let maxLabels = 24
    /// Approximate width of one character of the 11 px label font, for overlap tests.
    static let charWidth = 6.2

    /// One axis: its range, scale and ticks.
    struct Axis {
        var lo: Double, hi: Double
        var log: Bool
        var ticks: [Double]
        var step: Double

        /// Position in 0...1 along the axis.
        func fraction(_ v: Double) -> Double {
            guard hi > lo else { return 0.5 }
            if log { return (Foundation.log10(max(v, lo)) - Foundation.log10(lo)) / (Foundation.log10(hi) - Foundation.log10(lo)) }
            return (v - lo) / (hi - lo)
        }

        func label(_ t: Double) -> String { log ? ParetoPlot.logTick(t) : ParetoPlot.tick(t, step: step) }

        func contains(_ v: Double) -> Bool { v >= lo && v <= hi }

        /// A value written for a reader (four significant digits).
        func value(_ v: Double) -> String { String(format: "%.4g", v) }
    }

    public var svg: String {
        // The axes fit the frontier; a baseline outside it is marked at the edge with its values,
        // so that a frontier far from the baseline is not squeezed into a corner.
        let fitted = points.isEmpty ? (baseline.map { [$0] } ?? []) : points
        let xa = Self.axis(fitted.map(\.x)), ya = Self.axis(fitted.map(\.y))
        let colours = points.compactMap(\.colour)
        let cs = (colours.min() ?? 0, colours.max() ?? 1)
        let colourLog = cs.0 > 0 && cs.1 / cs.0 > 10
        let plotW = Self.width - Self.left - Self.right, plotH = Self.height - Self.top - Self.bottom
        func px(_ x: Double) -> Double { Self.left + xa.fraction(x) * plotW }
        func py(_ y: Double) -> Double { Self.top + plotH - ya.fraction(y) * plotH }
        func colourFraction(_ c: Double) -> Double {
            guard cs.1 > cs.0 else { return 0.5 }
            return colourLog ? (log10(c) - log10(cs.0)) / (log10(cs.1) - log10(cs.0)) : (c - cs.0) / (cs.1 - cs.0)
        }
        let labelled = Self.labelledPoints(points, px: px, py: py)
        var s = """
            <svg xmlns="http://www.w3.org/2000/svg" width="\(Int(Self.width))" height="\(Int(Self.height))" \
            viewBox="0 0 \(Int(Self.width)) \(Int(Self.height))" font-family="sans-serif" font-size="12">
            <rect width="100%" height="100%" fill="white"/>
            <text x="\(f(Self.left))" y="24" font-size="15" font-weight="bold">\(Self.escape(Self.fit(title, width: Self.width - Self.left - 10, charWidth: 8.5)))</text>
            <text x="\(f(Self.left))" y="42" font-size="11" fill="#555">\(Self.escape(Self.caption(points.count, labelled: labelled.count)))</text>

            """
        for t in xa.ticks {
            s += "<line x1=\"\(f(px(t)))\" y1=\"\(f(Self.top))\" x2=\"\(f(px(t)))\" y2=\"\(f(Self.top + plotH))\" stroke=\"#e4e4e4\"/>\n"
            s += "<text x=\"\(f(px(t)))\" y=\"\(f(Self.top + plotH + 18))\" text-anchor=\"middle\">\(xa.label(t))</text>\n"
        }
        for t in ya.ticks {
            s += "<line x1=\"\(f(Self.left))\" y1=\"\(f(py(t)))\" x2=\"\(f(Self.left + plotW))\" y2=\"\(f(py(t)))\" stroke=\"#e4e4e4\"/>\n"
            s += "<text x=\"\(f(Self.left - 8))\" y=\"\(f(py(t) + 4))\" text-anchor=\"end\">\(ya.label(t))</text>\n"
        }
        s += "<rect x=\"\(f(Self.left))\" y=\"\(f(Self.top))\" width=\"\(f(plotW))\" height=\"\(f(plotH))\" fill=\"none\" stroke=\"#333\"/>\n"
        let xTitle = xLabel + (xa.log ? ", log scale" : ""), yTitle = yLabel + (ya.log ? ", log scale" : "")
        s += "<text x=\"\(f(Self.left + plotW / 2))\" y=\"\(f(Self.height - 28))\" text-anchor=\"middle\">\(Self.escape(Self.fit(xTitle, width: plotW, charWidth: 7)))</text>\n"
        s += "<text transform=\"translate(22 \(f(Self.top + plotH / 2))) rotate(-90)\" text-anchor=\"middle\">\(Self.escape(Self.fit(yTitle, width: plotH, charWidth: 7)))</text>\n"
        // Points: small ones when there are many, so that dense frontiers stay readable.
        let radius = points.count > 2000 ? 1.6 : points.count > 200 ? 2.6 : 4.5
        for p in points {
            let fill = p.colour.map { Self.colour(colourFraction($0)) } ?? "#3b528b"
            s += "<circle cx=\"\(f(px(p.x)))\" cy=\"\(f(py(p.y)))\" r=\"\(radius)\" fill=\"\(fill)\" stroke=\"#222\" stroke-width=\"\(radius > 2 ? 0.5 : 0)\">"
            s += "<title>\(Self.escape(p.label))</title></circle>\n"
        }
        for l in labelled {
            s += "<text x=\"\(f(l.x))\" y=\"\(f(l.y))\" font-size=\"11\" text-anchor=\"\(l.anchor)\" fill=\"#111\">\(Self.escape(l.text))</text>\n"
        }
        if let b = baseline {
            let inside = (0...1).contains(xa.fraction(b.x)) && (0...1).contains(ya.fraction(b.y)) && xa.contains(b.x) && ya.contains(b.y)
            let (x, y) = (min(max(px(b.x), Self.left), Self.left + plotW), min(max(py(b.y), Self.top), Self.top + plotH))
            if inside {
                s += "<path d=\"M\(f(x - 7)) \(f(y - 7))L\(f(x + 7)) \(f(y + 7))M\(f(x - 7)) \(f(y + 7))L\(f(x + 7)) \(f(y - 7))\" stroke=\"#d62728\" stroke-width=\"3\"><title>\(Self.escape(b.label))</title></path>\n"
            } else {
                // An arrow at the edge, pointing where the baseline lies.
                let dx = b.x > xa.hi ? 1.0 : b.x < xa.lo ? -1.0 : 0, dy = b.y > ya.hi ? -1.0 : b.y < ya.lo ? 1.0 : 0
                let n = (dx * dx + dy * dy).squareRoot()
                let (ux, uy) = (dx / n, dy / n)
                let (bx, by) = (x - 14 * ux, y - 14 * uy)
                s += "<path d=\"M\(f(bx)) \(f(by))L\(f(x)) \(f(y))M\(f(x - 6 * ux - 4 * uy)) \(f(y - 6 * uy + 4 * ux))L\(f(x)) \(f(y))L\(f(x - 6 * ux + 4 * uy)) \(f(y - 6 * uy - 4 * ux))\" stroke=\"#d62728\" stroke-width=\"2.5\" fill=\"none\"><title>\(Self.escape(b.label))</title></path>\n"
            }
            let text = inside ? "baseline" : "baseline off the plot: \(xa.value(b.x)), \(ya.value(b.y))"
            let w = Double(text.count) * Self.charWidth
            let onRight = x + 10 + w > Self.left + plotW
            let ty = y - 10 < Self.top + 12 ? y + 20 : y - 10
            s += "<text x=\"\(f(onRight ? x - 10 : x + 10))\" y=\"\(f(ty))\" font-size=\"11\" fill=\"#d62728\" text-anchor=\"\(onRight ? "end" : "start")\">\(Self.escape(text))</text>\n"
        }
        if let colourLabel {
            let barX = Self.width - Self.right + 24, barH = plotH * 0.6
            s += "<defs><linearGradient id=\"bar\" x1=\"0\" y1=\"1\" x2=\"0\" y2=\"0\">"
            for i in 0...4 { s += "<stop offset=\"\(Double(i) / 4)\" stop-color=\"\(Self.colour(Double(i) / 4))\"/>" }
            s += "</linearGradient></defs>\n"
            s += "<rect x=\"\(f(barX))\" y=\"\(f(Self.top))\" width=\"16\" height=\"\(f(barH))\" fill=\"url(#bar)\" stroke=\"#333\"/>\n"
            s += "<text x=\"\(f(barX + 22))\" y=\"\(f(Self.top + 10))\">\(Self.tick(cs.1))</text>\n"
            s += "<text x=\"\(f(barX + 22))\" y=\"\(f(Self.top + barH))\">\(Self.tick(cs.0))</text>\n"
            // The label wraps onto lines that fit the margin.
            let lines = Self.wrap(colourLabel + (colourLog ? ", log scale" : ""), width: Self.right - 30, charWidth: 6.6)
            for (i, line) in lines.enumerated() {
                s += "<text x=\"\(f(barX))\" y=\"\(f(Self.top + barH + 20 + Double(i) * 14))\" font-size=\"11\">\(Self.escape(line))</text>\n"
            }
        }
        s += "</svg>\n"
        return s
    }

    /// A coordinate with one decimal (rounded half away from zero).
    private func f(_ v: Double) -> String {
        let tenths = Int((v * 10).rounded())
        let sign = tenths < 0 ? "-" : ""
        return "\(sign)\(abs(tenths) / 10).\(abs(tenths) % 10)"
    }

    /// The line under the title: what the point labels are.
    static func caption(_ count: Int, labelled: Int) -> String {
        guard count > 0 else { return "no designs" }
        if labelled == count { return "labels: design_id in pareto.csv" }
        return "labels: design_id in pareto.csv, \(labelled) of \(count) points labelled (the extremes and an even spread)"
    }

    /// A label's position and text.
    struct Label { var x: Double, y: Double, anchor: String, text: String }

    /// Up to `maxLabels` labels that neither overlap each other nor leave the plot area: the
    /// points at the ends of both axes first, then points evenly spread over the frontier order.
    static func labelledPoints(_ points: [Point], px: (Double) -> Double, py: (Double) -> Double) -> [Label] {
        guard !points.isEmpty else { return [] }
        var order: [Int] = []
        func add(_ i: Int?) { if let i, !order.contains(i) { order.append(i) } }
        add(points.indices.min { (points[$0].x, $0) < (points[$1].x, $1) })
        add(points.indices.max { (points[$0].x, -$0) < (points[$1].x, -$1) })
        add(points.indices.min { (points[$0].y, $0) < (points[$1].y, $1) })
        add(points.indices.max { (points[$0].y, -$0) < (points[$1].y, -$1) })
        let spread = min(points.count, 4 * maxLabels)
        for k in 0..<spread { add(spread == 1 ? 0 : k * (points.count - 1) / (spread - 1)) }
        let plotRight = width - right, plotBottom = height - bottom
        var boxes: [(x0: Double, y0: Double, x1: Double, y1: Double)] = []
        var labels: [Label] = []
        for i in order where labels.count < maxLabels {
            let p = points[i]
            let (x, y) = (px(p.x), py(p.y))
            let w = Double(p.label.count) * charWidth
            // Level with the point, on its right, or on its left near the right edge.
            let toLeft = x + 7 + w > plotRight - 2
            let x0 = toLeft ? x - 7 - w : x + 7
            let baselineY = min(max(y + 4, top + 13), plotBottom - 4)
            let box = (x0: x0, y0: baselineY - 11, x1: x0 + w, y1: baselineY + 2)
            guard box.x0 >= left + 2, box.x1 <= plotRight - 2,
                  !boxes.contains(where: { $0.x0 < box.x1 && box.x0 < $0.x1 && $0.y0 < box.y1 && box.y0 < $0.y1 }) else { continue }
            boxes.append(box)
            labels.append(Label(x: toLeft ? x - 7 : x + 7, y: baselineY, anchor: toLeft ? "end" : "start", text: p.label))
        }
        return labels
    }

    /// The axis for `values`: logarithmic when they are all positive and span more than a
    /// decade, else linear with round ticks.
    static func axis(_ values: [Double]) -> Axis {
        var lo = values.min() ?? 0, hi = values.max() ?? 1
        if lo > 0, hi / lo > 10 {
            let a = floor(log10(lo)), b = ceil(log10(hi))
            var ticks: [Double] = []
            let decades = Int(b - a)
            let mantissas: [Double] = decades <= 2 ? [1, 2, 5] : decades <= 5 ? [1, 3] : [1]
            let every = max(1, decades / 8)
            for e in stride(from: Int(a), through: Int(b), by: every) {
                for m in mantissas {
                    let t = m * pow(10, Double(e))
                    if t >= lo / 1.0001, t <= hi * 1.0001 { ticks.append(t) }
                }
            }
            lo = lo / 1.15
            hi = hi * 1.15
            return Axis(lo: lo, hi: hi, log: true, ticks: ticks, step: 0)
        }
        if hi - lo <= abs(hi) * 1e-9 { let pad = max(abs(hi) * 0.1, 1e-9); lo -= pad; hi += pad }
        let raw = (hi - lo) / 5
        let magnitude = pow(10, floor(log10(raw)))
        let step = [1.0, 2, 2.5, 5, 10].map { $0 * magnitude }.first { $0 >= raw } ?? 10 * magnitude
        lo = floor(lo / step) * step
        hi = ceil(hi / step) * step
        let ticks = stride(from: lo, through: hi + step / 2, by: step).map { $0 }
        return Axis(lo: lo, hi: hi, log: false, ticks: ticks, step: step)
    }

    /// A tick label with as many decimals as the tick step needs.
    static func tick(_ v: Double, step: Double) -> String {
        if v == 0 { return "0" }
        if abs(v) >= 1e5 || step < 1e-4 { return String(format: "%.3g", v) }
        let decimals = max(0, Int((-log10(step)).rounded(.up)) + (step * pow(10, (-log10(step)).rounded(.up)) == 2.5 ? 1 : 0))
        return String(format: "%.\(decimals)f", v)
    }

    /// A log-axis tick label: plain for 0.001 to 99999, else in exponent form.
    static func logTick(_ v: Double) -> String {
        if v >= 1e-3 && v < 1e5 { return String(format: "%g", v) }
        return String(format: "%.0e", v)
    }

    /// A colour-bar label.
    static func tick(_ v: Double) -> String { String(format: "%.4g", v) }

    /// `s` cut to fit `width` pixels ("..." at the end when cut).
    static func fit(_ s: String, width: Double, charWidth: Double) -> String {
        let n = max(4, Int(width / charWidth))
        return s.count <= n ? s : String(s.prefix(n - 3)) + "..."
    }

    /// `s` broken at spaces into lines of at most `width` pixels.
    static func wrap(_ s: String, width: Double, charWidth: Double) -> [String] {
        let n = max(4, Int(width / charWidth))
        var lines: [String] = [], line = ""
        for word in s.split(separator: " ") {
            if line.isEmpty { line = String(word) } else if line.count + 1 + word.count <= n { line += " " + word } else {
                lines.append(line)
                line = String(word)
            }
        }
        if !line.isEmpty { lines.append(line) }
        return lines.map { fit($0, width: width, charWidth: charWidth) }
    }

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
        guard s.utf8.contains(where: { $0 == 0x26 || $0 == 0x3C || $0 == 0x3E || $0 == 0x22 }) else { return s }
        return s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }
}
