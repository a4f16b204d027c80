extension Conv3d {
    /// The reference: torch.nn.Conv3d's definition as plain loops over output positions and kernel taps,
    /// `out[b, o, z, y, x] = bias[o] + Σ_{c, kt, kh, kw} in[b, c, z·sT − pT + kt, y·sH − pH + kh, x·sW − pW + kw] · w[o, c, kt, kh, kw]`
    /// with taps that fall into the padding skipped (zero). For each output position the sum runs over the taps in
    /// `(c, kt, kh, kw)` order, in Float, one tap at a time for all output channels at once (the innermost loop over
    /// `o` reads the weight transposed to `[c, kt, kh, kw, o]`, made per call, so it is a simple
    /// vectorisable multiply-add rather than a strided gather). No blocking, no BLAS. In bfloat16 the weight
    /// (`directWeight`) and every input value are rounded to bfloat16 first.
    func directForward(_ input: UnsafePointer<Float>, shape: Shape, into output: UnsafeMutablePointer<Float>) {
        let g = geometry
        let (k, s, p) = (g.kernel, g.stride, g.padding)
        let (inD, inH, inW) = (shape.input.t, shape.input.h, shape.input.w)
        let (outD, outH, outW) = (shape.output.t, shape.output.h, shape.output.w)
        let outC = g.outChannels
        let inPlane = inD * inH * inW
        let outPlane = outD * outH * outW

        // wT[tap][o] = w[o][tap], tap = ((c·kT + kt)·kH + kh)·kW + kw.
        let taps = g.kernelVolume
        let wT = UnsafeMutablePointer<Float>.allocate(capacity: taps * outC)
        defer { wT.deallocate() }
        let roundInput = gemm.dtype == .bfloat16
        directWeight.withUnsafeBufferPointer { w in
            for o in 0..<outC {
                for tap in 0..<taps { wT[tap * outC + o] = w[o * taps + tap] }
            }
        }
        let acc = UnsafeMutablePointer<Float>.allocate(capacity: outC)
        defer { acc.deallocate() }

        for b in 0..<shape.batch {
            let sample = input + b * g.inChannels * inPlane
            for z in 0..<outD {
                for y in 0..<outH {
                    for x in 0..<outW {
                        for o in 0..<outC { acc[o] = bias?[o] ?? 0 }
                        for c in 0..<g.inChannels {
                            for kt in 0..<k.t {
                                let iz = z * s.t - p.t + kt
                                guard iz >= 0, iz < inD else { continue }
                                for kh in 0..<k.h {
                                    let iy = y * s.h - p.h + kh
                                    guard iy >= 0, iy < inH else { continue }
                                    for kw in 0..<k.w {
                                        let ix = x * s.w - p.w + kw
                                        guard ix >= 0, ix < inW else { continue }
                                        let raw = sample[((c * inD + iz) * inH + iy) * inW + ix]
                                        let v = roundInput ? BFloat16.round(raw) : raw
                                        let column = wT + (((c * k.t + kt) * k.h + kh) * k.w + kw) * outC
                                        for o in 0..<outC { acc[o] += v * column[o] }
                                    }
                                }
                            }
                        }
                        let position = (z * outH + y) * outW + x
                        for o in 0..<outC { output[(b * outC + o) * outPlane + position] = acc[o] }
                    }
                }
            }
        }
    }
}
