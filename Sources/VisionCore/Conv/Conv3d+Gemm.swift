extension Conv3d {
    /// Zero-copy GEMM (vLLM's `Conv3dLayer._forward_mulmat` without the unfold): when kernel == stride,
    /// padding is zero and each sample is exactly one kernel volume, the NCDHW input is already the matrix
    /// `[batch, in·kT·kH·kW]`, so the output `[batch, out]` is one `cblas_sgemm` `input · weightᵀ`
    /// (`F.linear(input, weight.view(out, -1), bias)`).
    func gemmForward(_ input: UnsafePointer<Float>, shape: Shape,
                     into output: UnsafeMutablePointer<Float>) throws(Conv3dError) {
        let g = geometry
        if let reason = g.gemmInapplicability(depth: shape.input.t, height: shape.input.h, width: shape.input.w) {
            throw .gemmNotApplicable(reason: reason)
        }
        guard BLAS.fitsBLAS(shape.batch, g.kernelVolume, g.outChannels, shape.batch * g.kernelVolume,
                            shape.batch * g.outChannels) else {
            throw .inputShape("GEMM [\(shape.batch), \(g.kernelVolume)] exceeds CBLAS's 32-bit sizes")
        }
        let beta = fillBias(output, rows: shape.batch)
        weight.withUnsafeBufferPointer { w in
            BLAS.sgemmABt(m: shape.batch, n: g.outChannels, k: g.kernelVolume, a: input, b: w.baseAddress!,
                          c: output, beta: beta)
        }
    }
}
