import Foundation

/// Statistics over repeated runs for `vlbench compare --repeats N`: the mean of a metric with a
/// two-sided 95% Student-t confidence interval, and the change of a variant against the baseline
/// with a Welch interval (unequal variances, Welch–Satterthwaite degrees of freedom).
public enum RunStatistics {
    /// Mean and 95% half-width of `values` (nil half-width for fewer than 2 runs):
    /// mean ± t(0.975, n−1) · s / √n, with s the sample standard deviation (ddof 1).
    public static func meanInterval(_ values: [Double]) -> (mean: Double, halfWidth: Double?) {
        let n = values.count
        let mean = Statistics.mean(values)
        guard n >= 2 else { return (mean, nil) }
        let s = sampleStd(values, mean: mean)
        return (mean, studentTQuantile(0.975, degreesOfFreedom: Double(n - 1)) * s / Double(n).squareRoot())
    }

    /// Difference of means `mean(variant) − mean(baseline)` and its 95% Welch half-width
    /// t(0.975, ν) · √(s_v²/n_v + s_b²/n_b) (nil with fewer than 2 runs on either side). When both samples
    /// have zero spread the half-width is 0.
    public static func welch(_ variant: [Double], baseline: [Double]) -> (difference: Double, halfWidth: Double?) {
        let mv = Statistics.mean(variant), mb = Statistics.mean(baseline)
        let d = mv - mb
        guard variant.count >= 2, baseline.count >= 2 else { return (d, nil) }
        let av = pow(sampleStd(variant, mean: mv), 2) / Double(variant.count)
        let ab = pow(sampleStd(baseline, mean: mb), 2) / Double(baseline.count)
        let se2 = av + ab
        guard se2 > 0 else { return (d, 0) }
        let df = se2 * se2 / (av * av / Double(variant.count - 1) + ab * ab / Double(baseline.count - 1))
        return (d, studentTQuantile(0.975, degreesOfFreedom: df) * se2.squareRoot())
    }

    /// Sample standard deviation (ddof 1); 0 for fewer than 2 values.
    public static func sampleStd(_ x: [Double], mean m: Double? = nil) -> Double {
        guard x.count >= 2 else { return 0 }
        let mu = m ?? Statistics.mean(x)
        return (x.reduce(0) { $0 + ($1 - mu) * ($1 - mu) } / Double(x.count - 1)).squareRoot()
    }

    /// The `p` quantile (0.5 < p < 1) of Student's t with `df` > 0 degrees of freedom (real-valued, as
    /// Welch needs), by bisection on the CDF; accurate to about 1e-10.
    public static func studentTQuantile(_ p: Double, degreesOfFreedom df: Double) -> Double {
        precondition(p > 0.5 && p < 1 && df > 0)
        var lo = 0.0, hi = 1.0
        while studentTCDF(hi, degreesOfFreedom: df) < p { hi *= 2 }
        for _ in 0..<200 {
            let mid = (lo + hi) / 2
            if studentTCDF(mid, degreesOfFreedom: df) < p { lo = mid } else { hi = mid }
            if hi - lo < 1e-12 * max(1, hi) { break }
        }
        return (lo + hi) / 2
    }

    /// P(T ≤ t) for Student's t: 1 − ½·I_x(df/2, ½) with x = df/(df + t²), for t ≥ 0 (symmetric otherwise).
    public static func studentTCDF(_ t: Double, degreesOfFreedom df: Double) -> Double {
        let x = df / (df + t * t)
        let tail = 0.5 * regularizedIncompleteBeta(x, a: df / 2, b: 0.5)
        return t >= 0 ? 1 - tail : tail
    }

    /// I_x(a, b) by the continued fraction of Numerical Recipes (`betai`/`betacf`).
    static func regularizedIncompleteBeta(_ x: Double, a: Double, b: Double) -> Double {
        if x <= 0 { return 0 }
        if x >= 1 { return 1 }
        let lnBeta: Double = lgamma(a + b) - lgamma(a) - lgamma(b)
        let lnPowers: Double = a * log(x) + b * log(1 - x)
        let lnFront = lnBeta + lnPowers
        if x < (a + 1) / (a + b + 2) {
            return exp(lnFront) * betaContinuedFraction(x, a: a, b: b) / a
        }
        return 1 - exp(lnFront) * betaContinuedFraction(1 - x, a: b, b: a) / b
    }

    private static func betaContinuedFraction(_ x: Double, a: Double, b: Double) -> Double {
        let tiny = 1e-300
        var c = 1.0
        var d = 1 - (a + b) * x / (a + 1)
        if abs(d) < tiny { d = tiny }
        d = 1 / d
        var h = d
        for m in 1...300 {
            let m = Double(m)
            let m2 = 2 * m
            var aa: Double = m * (b - m) * x / ((a + m2 - 1) * (a + m2))
            d = 1 + aa * d; if abs(d) < tiny { d = tiny }
            c = 1 + aa / c; if abs(c) < tiny { c = tiny }
            d = 1 / d
            h *= d * c
            let numerator: Double = -(a + m) * (a + b + m) * x
            aa = numerator / ((a + m2) * (a + m2 + 1))
            d = 1 + aa * d; if abs(d) < tiny { d = tiny }
            c = 1 + aa / c; if abs(c) < tiny { c = tiny }
            d = 1 / d
            let delta = d * c
            h *= delta
            if abs(delta - 1) < 1e-15 { break }
        }
        return h
    }
}
