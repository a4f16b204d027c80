extension Conv3d {
    /// im2col: unfold every output position's receptive field into one row of a column buffer
    /// `[batch·D'·H'·W', in·kT·kH·kW]` (zeros where the field reaches into the padding), then one
    /// GEMM `cols · weightᵀ + bias` on `linear` → `[batch·D'·H'·W', out]`, then (if D'·H'·W' > 1) a transpose per sample
    /// into NCDHW. The row layout equals Qwen2.5-VL's `pixel_values` layout, so for the patch embedding
    /// the unfold is exactly a copy of the input.
    func im2colForward(_ input: UnsafePointer<Float>, shape: Shape,
                       into output: UnsafeMutablePointer<Float>) throws(Conv3dError) {
        let g = geometry
        let voxels = shape.output.product
        let rows = shape.batch * voxels
        let kVol = g.kernelVolume
        guard Conv3d.checkedProduct(rows, kVol) != nil, Conv3d.checkedProduct(rows, g.outChannels) != nil else {
            throw .inputShape("im2col matrix [\(rows), \(kVol)] overflows")
        }
        let cols = UnsafeMutablePointer<Float>.allocate(capacity: rows * kVol)
        defer { cols.deallocate() }
        unfold(input, shape: shape, into: cols)

        // When each sample has one output voxel, [rows, out] already is NCDHW; otherwise go through a buffer.
        let product = voxels == 1 ? output : UnsafeMutablePointer<Float>.allocate(capacity: rows * g.outChannels)
        defer { if voxels != 1 { product.deallocate() } }
        do throws(GemmError) {
            try linear.forward(cols, rows: rows, into: product)
        } catch {
            throw .backend(error.description)
        }
        if voxels != 1 {
            for b in 0..<shape.batch {
                let src = product + b * voxels * g.outChannels
                let dst = output + b * g.outChannels * voxels
                for v in 0..<voxels {
                    for o in 0..<g.outChannels {
                        dst[o * voxels + v] = src[v * g.outChannels + o]
                    }
                }
            }
        }
    }

    /// Writes row `(b, z, y, x)` = the receptive field of that output position in `(c, kt, kh, kw)` order
    /// (the weight's flatten order). Contiguous kW-runs fully inside the input are block copies.
    func unfold(_ input: UnsafePointer<Float>, shape: Shape, into cols: UnsafeMutablePointer<Float>) {
        let g = geometry
        let (k, s, p) = (g.kernel, g.stride, g.padding)
        let (inD, inH, inW) = (shape.input.t, shape.input.h, shape.input.w)
        let (outD, outH, outW) = (shape.output.t, shape.output.h, shape.output.w)
        let inPlane = inD * inH * inW
        var dst = cols
        for b in 0..<shape.batch {
            let sample = input + b * g.inChannels * inPlane
            for z in 0..<outD {
                for y in 0..<outH {
                    for x in 0..<outW {
                        let x0 = x * s.w - p.w
                        let runInside = x0 >= 0 && x0 + k.w <= inW
                        for c in 0..<g.inChannels {
                            for kt in 0..<k.t {
                                let iz = z * s.t - p.t + kt
                                for kh in 0..<k.h {
                                    let iy = y * s.h - p.h + kh
                                    if iz < 0 || iz >= inD || iy < 0 || iy >= inH {
                                        dst.update(repeating: 0, count: k.w)
                                    } else {
                                        let row = sample + ((c * inD + iz) * inH + iy) * inW
                                        if runInside {
                                            dst.update(from: row + x0, count: k.w)
                                        } else {
                                            for kw in 0..<k.w {
                                                let ix = x0 + kw
                                                dst[kw] = ix >= 0 && ix < inW ? row[ix] : 0
                                            }
                                        }
                                    }
                                    dst += k.w
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}
