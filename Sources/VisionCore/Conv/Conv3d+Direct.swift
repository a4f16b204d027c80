extension Conv3d {
    /// The reference: torch.nn.Conv3d's definition written as plain loops,
    /// `out[b, o, z, y, x] = bias[o] + Σ_{c, kt, kh, kw} in[b, c, z·sT − pT + kt, y·sH − pH + kh, x·sW − pW + kw] · w[o, c, kt, kh, kw]`
    /// with out-of-range input positions read as zero. Accumulates in Double, rounds once to Float.
    func directForward(_ input: UnsafePointer<Float>, shape: Shape, into output: UnsafeMutablePointer<Float>) {
        let g = geometry
        let (k, s, p) = (g.kernel, g.stride, g.padding)
        let (inD, inH, inW) = (shape.input.t, shape.input.h, shape.input.w)
        let (outD, outH, outW) = (shape.output.t, shape.output.h, shape.output.w)
        let inPlane = inD * inH * inW
        let outPlane = outD * outH * outW
        weight.withUnsafeBufferPointer { w in
            for b in 0..<shape.batch {
                let sample = input + b * g.inChannels * inPlane
                for o in 0..<g.outChannels {
                    let filter = w.baseAddress! + o * g.kernelVolume
                    let start = Double(bias?[o] ?? 0)
                    let dst = output + (b * g.outChannels + o) * outPlane
                    for z in 0..<outD {
                        for y in 0..<outH {
                            for x in 0..<outW {
                                var acc = start
                                for c in 0..<g.inChannels {
                                    for kt in 0..<k.t {
                                        let iz = z * s.t - p.t + kt
                                        guard iz >= 0, iz < inD else { continue }
                                        for kh in 0..<k.h {
                                            let iy = y * s.h - p.h + kh
                                            guard iy >= 0, iy < inH else { continue }
                                            let row = sample + ((c * inD + iz) * inH + iy) * inW
                                            let taps = filter + ((c * k.t + kt) * k.h + kh) * k.w
                                            for kw in 0..<k.w {
                                                let ix = x * s.w - p.w + kw
                                                guard ix >= 0, ix < inW else { continue }
                                                acc += Double(row[ix]) * Double(taps[kw])
                                            }
                                        }
                                    }
                                }
                                dst[(z * outH + y) * outW + x] = Float(acc)
                            }
                        }
                    }
                }
            }
        }
    }
}
