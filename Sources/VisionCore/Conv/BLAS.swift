import CBLAS

/// Thin, checked wrappers over OpenBLAS's CBLAS (`cblas_sgemm`, thread control).
public enum BLAS {
    /// Sets the number of threads OpenBLAS uses for subsequent calls (`openblas_set_num_threads`).
    /// Values below 1 are treated as 1.
    public static func setThreads(_ count: Int) {
        openblas_set_num_threads(Int32(clamping: max(1, count)))
    }

    /// The number of threads OpenBLAS currently uses (`openblas_get_num_threads`).
    public static var threads: Int { Int(openblas_get_num_threads()) }

    /// `C[m, n] = A[m, k] · B[n, k]ᵀ + beta·C`, all row-major and contiguous (lda = k, ldb = k, ldc = n):
    /// one `cblas_sgemm(RowMajor, NoTrans, Trans, ...)`. This is `F.linear(A, B)`.
    /// Dimensions must fit CBLAS's 32-bit integers (checked by the callers through `fitsBLAS`).
    @inlinable
    public static func sgemmABt(m: Int, n: Int, k: Int,
                                a: UnsafePointer<Float>, b: UnsafePointer<Float>,
                                c: UnsafeMutablePointer<Float>, beta: Float = 0) {
        cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans,
                    Int32(m), Int32(n), Int32(k), 1.0, a, Int32(k), b, Int32(k), beta, c, Int32(n))
    }

    /// True when every extent (and the products CBLAS indexes with) fits a 32-bit CBLAS integer.
    public static func fitsBLAS(_ extents: Int...) -> Bool {
        extents.allSatisfy { $0 >= 0 && $0 <= Int(Int32.max) }
    }
}

extension BLAS {
    /// The OpenBLAS kernel family in use (`openblas_get_corename()`, e.g. `Haswell`, `Cooperlake`, `SkylakeX`);
    /// it follows `OPENBLAS_CORETYPE` when that is set.
    public static var coreName: String {
        guard let name = openblas_get_corename() else { return "unknown" }
        return String(cString: name)
    }

    /// OpenBLAS's build configuration (`openblas_get_config()`), e.g. `OpenBLAS 0.3.21 DYNAMIC_ARCH ...`.
    public static var config: String {
        guard let text = openblas_get_config() else { return "unknown" }
        return String(cString: text)
    }
}
