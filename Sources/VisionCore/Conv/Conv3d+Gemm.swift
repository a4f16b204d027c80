extension Conv3d {
    /// Zero-copy GEMM (vLLM's `Conv3dLayer._forward_mulmat` without the unfold): when kernel == stride,
    /// padding is zero and each sample is exactly one kernel volume, the NCDHW input is already the matrix
    /// `[batch, in·kT·kH·kW]`, so the output `[batch, out]` is one GEMM `input · weightᵀ + bias` on `linear`
    /// (`F.linear(input, weight.view(out, -1), bias)`).
    func gemmForward(_ input: UnsafePointer<Float>, shape: Shape,
                     into output: UnsafeMutablePointer<Float>) throws(Conv3dError) {
        let g = geometry
        if let reason = g.gemmInapplicability(depth: shape.input.t, height: shape.input.h, width: shape.input.w) {
            throw .gemmNotApplicable(reason: reason)
        }
        do throws(GemmError) {
            try linear.forward(input, rows: shape.batch, into: output)
        } catch {
            throw .backend(error.description)
        }
    }
}
