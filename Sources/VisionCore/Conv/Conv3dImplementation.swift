/// Which algorithm `Conv3d.forward` uses. All of them compute the same function as `torch.nn.Conv3d`
/// (groups 1, dilation 1); they differ in speed and in which shapes they accept. The GEMM-based ones run
/// on the `Linear` of the convolution's `GemmConfiguration` (backend and dtype).
public enum Conv3dImplementation: String, CaseIterable, Sendable {
    /// Plain direct convolution loops (the readable reference), no library. Any geometry. In bfloat16 its
    /// weights and input are rounded to bfloat16 first (float32 accumulation), as the fast paths do.
    case direct
    /// oneDNN's convolution primitive: the optimised direct convolution torch's `nn.Conv3d` runs on CPU.
    /// Any geometry; float32 or bfloat16 whatever the GEMM backend.
    case conv
    /// Unfold the input into a column buffer `[batch*outVoxels, inChannels*kT*kH*kW]`, then one GEMM against
    /// the weight viewed as `[out, in*kT*kH*kW]`. Any stride and padding.
    case im2col
    /// Zero-copy: when kernel == stride, padding is zero and every sample is exactly one kernel volume
    /// (Qwen2.5-VL's `pixel_values [N, 1176]`), the input already is the unfolded matrix: one GEMM against
    /// the weight viewed as `[out, 1176]`, transposed B (vLLM's `Conv3dLayer`).
    /// Other shapes throw `Conv3dError.gemmNotApplicable`.
    case gemm
    /// `gemm` where it applies, else `im2col`.
    case auto
    /// Still images only, on the patch embedding (`PatchEmbedding`, not a general `Conv3d`): a still image's
    /// temporal frames are identical, so `x·W_t0 + x·W_t1 = x·(W_t0 + W_t1)`. The weight is summed over
    /// its temporal axis once at load (`[out, 3·14·14]`, K 1176 → 588) and the GEMM reads one frame per
    /// patch: half the FLOPs, and the server's preprocessor writes half the pixels. Given full
    /// `[N, 1176]` rows it checks that both frames are equal and throws otherwise.
    case folded
}
