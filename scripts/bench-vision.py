#!/usr/bin/env python3
"""Side-by-side benchmark of VLServe's vision path against torch / transformers on this machine.

  scripts/bench-vision.py --install          # first time: make the venv (${VLSERVE_VENV:-.venv-ref}) with torch,
                                             # transformers, torchvision, pillow, safetensors, numpy; then run
  swift build -c release --product vlserve   # the numbers are only meaningful for a release build
  scripts/bench-vision.py [--image-size 1280x720 | --patches N] [--threads 2] [--repeats 10] [--image photo.jpg]
  scripts/bench-vision.py --check-encode out.safetensors IMAGE   # verify a `vlserve encode` file (seeded weights)

What it does, all on the same shape ([N, 1176] x [1176, 1280], N from smart_resize of --image-size) and threads:
  1. runs `vlserve bench-conv --json` (every implementation on every GEMM backend and dtype that runs here, and
     the raw cblas_sgemm and oneDNN matmul calls, VLServe's seeded weights; it names the CPU and kernels);
  2. times torch.nn.Conv3d(3, 1280, (2,14,14), stride=(2,14,14), bias=False) on [N, 3, 2, 14, 14] and
     torch.nn.functional.linear on the same data viewed [N, 1176] (VLServe's seeded weight, no_grad), in float32
     and in bfloat16 (module, weight and input cast to bfloat16, as a bf16 deployment runs them);
  3. times transformers' Qwen2VLImageProcessor (torchvision backend, the default) and Qwen2VLImageProcessorPil
     from the JPEG bytes to pixel_values, and `vlserve bench-preprocess` if that command exists;
  4. prints one table with every row's median ms, GFLOP/s and ratios against raw sgemm and against torch's
     Conv3d and F.linear in the row's own dtype, and the issue's bars measured in this run.
OPENBLAS_CORETYPE / OPENBLAS_L2_SIZE are left as they are (the bench-conv header names the OpenBLAS kernel); to see a
user's machine, run this script with both unset (`env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE ...`).
"""
import argparse
import io
import json
import math
import os
import shutil
import statistics
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PACKAGES = ["torch", "transformers", "pillow", "safetensors", "numpy"]


def venv_dir():
    v = os.environ.get("VLSERVE_VENV", ".venv-ref")
    return v if os.path.isabs(v) else os.path.join(ROOT, v)


def ensure_environment(install):
    """With --install, (re)create the venv and install the packages; then run inside it if we are not already."""
    venv = venv_dir()
    py = os.path.join(venv, "bin", "python")
    if install:
        if not os.path.exists(py):
            subprocess.check_call([sys.executable, "-m", "venv", venv])
        subprocess.check_call([py, "-m", "pip", "install", "-q"] + PACKAGES)
        subprocess.check_call([py, "-m", "pip", "install", "-q", "--no-deps", "torchvision"])
    try:
        import numpy, torch, safetensors, transformers  # noqa: F401
        return
    except ImportError:
        pass
    if os.path.exists(py) and os.path.realpath(sys.prefix) != os.path.realpath(venv):
        args = [a for a in sys.argv[1:] if a != "--install"]
        os.execv(py, [py, os.path.abspath(__file__)] + args)
    sys.exit(f"error: torch/transformers/safetensors are not importable and there is no venv at {venv}; "
             "run `scripts/bench-vision.py --install` (or set VLSERVE_VENV)")


# ---- VLServe's seeded initialisation (Sources/VisionCore/Model/SeededInit.swift) ----------------------------------
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "fixtures"))
from seeded_init import seeded_patch_embed_weight, smart_resize  # noqa: E402


# ---- helpers ------------------------------------------------------------------------------------------------------
def median_ms(fn, repeats, warmup=1):
    for _ in range(warmup):
        fn()
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t0) * 1000)
    return statistics.median(times)


def find_vlserve(explicit):
    candidates = [explicit] if explicit else [os.path.join(ROOT, ".build", "release", "vlserve"),
                                               os.path.join(ROOT, ".build", "debug", "vlserve"),
                                               shutil.which("vlserve")]
    for c in candidates:
        if c and os.path.exists(c):
            return c
    return None


def synthetic_jpeg(width, height):
    """A photo-like JPEG (smooth gradients plus noise, quality 90) of the given size, as bytes."""
    import numpy as np
    from PIL import Image
    rng = np.random.default_rng(0)
    y, x = np.mgrid[0:height, 0:width]
    img = np.stack([x * 255 // max(1, width - 1), y * 255 // max(1, height - 1), (x + y) % 256], -1)
    img = np.clip(img + rng.integers(-20, 20, img.shape), 0, 255).astype(np.uint8)
    buf = io.BytesIO()
    Image.fromarray(img).save(buf, format="JPEG", quality=90)
    return buf.getvalue()


# ---- parts --------------------------------------------------------------------------------------------------------
def run_vlserve_conv(vlserve, args, patches):
    cmd = [vlserve, "bench-conv", "--json", "--threads", str(args.threads), "--repeats", str(args.repeats),
           "--patches", str(patches)]
    print(f"$ {' '.join(cmd)}", file=sys.stderr)
    out = subprocess.run(cmd, check=True, stdout=subprocess.PIPE, text=True).stdout
    return json.loads(out.strip().splitlines()[-1])


def run_torch(patches, threads, repeats):
    """Median ms of torch Conv3d and F.linear in float32 and bfloat16: {("conv"|"linear", dtype): ms}."""
    import torch
    torch.set_num_threads(threads)
    w = torch.from_numpy(seeded_patch_embed_weight().copy())
    gen = torch.Generator().manual_seed(1)
    x = (torch.rand((patches, 3, 2, 14, 14), generator=gen) * 4 - 2).contiguous()
    times = {}
    for dtype in (torch.float32, torch.bfloat16):
        conv = torch.nn.Conv3d(3, 1280, (2, 14, 14), stride=(2, 14, 14), bias=False)
        with torch.no_grad():
            conv.weight.copy_(w)
        conv = conv.to(dtype)
        xd = x.to(dtype)
        x2 = xd.view(patches, 1176)
        w2 = w.view(1280, 1176).to(dtype)
        name = "float32" if dtype == torch.float32 else "bfloat16"
        with torch.no_grad():
            times[("conv", name)] = median_ms(lambda: conv(xd), repeats)
            times[("linear", name)] = median_ms(lambda: torch.nn.functional.linear(x2, w2), repeats)
    return times, torch.__version__


def run_processors(jpeg, repeats):
    from PIL import Image
    from transformers.models.qwen2_vl.image_processing_pil_qwen2_vl import Qwen2VLImageProcessorPil
    from transformers import Qwen2VLImageProcessor
    kwargs = dict(min_pixels=3136, max_pixels=12845056)
    results = {}
    for name, cls in [("transformers Qwen2VLImageProcessor (torchvision)", Qwen2VLImageProcessor),
                      ("transformers Qwen2VLImageProcessorPil", Qwen2VLImageProcessorPil)]:
        try:
            proc = cls(**kwargs)
        except Exception as e:  # noqa: BLE001
            print(f"warning: {name}: {e}", file=sys.stderr)
            continue

        def once(proc=proc):
            img = Image.open(io.BytesIO(jpeg)).convert("RGB")
            return proc(images=img, return_tensors="pt")["pixel_values"]
        results[name] = median_ms(once, repeats)
    decode_ms = median_ms(lambda: Image.open(io.BytesIO(jpeg)).convert("RGB"), repeats)
    return results, decode_ms


def run_vlserve_preprocess(vlserve, jpeg_path, repeats, frames=2):
    """`vlserve bench-preprocess` (the image helper's command), if it exists: returns its stdout or None."""
    root = subprocess.run([vlserve, "--help"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    if "bench-preprocess" not in root.stdout:
        return None
    probe = subprocess.run([vlserve, "bench-preprocess", "--help"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    if probe.returncode != 0:
        return None
    cmd = [vlserve, "bench-preprocess", jpeg_path]
    if "--iterations" in probe.stdout:
        cmd += ["--iterations", str(repeats)]
    if "--json" in probe.stdout:
        cmd += ["--json"]
    if frames != 2:
        if "--frames-per-patch" not in probe.stdout:
            return None
        cmd += ["--frames-per-patch", str(frames)]
    r = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    return r.stdout.strip() if r.returncode == 0 else f"(failed: {r.stderr.strip()})"


def check_encode(path, image_path):
    """Loads a `vlserve encode` output with Python's safetensors and checks it against transformers and torch."""
    import numpy as np
    import torch
    from PIL import Image
    from safetensors import safe_open
    from safetensors.numpy import load_file
    from transformers.models.qwen2_vl.image_processing_pil_qwen2_vl import Qwen2VLImageProcessorPil
    t = load_file(path)
    pv, grid, pe = t["pixel_values"], t["image_grid_thw"], t["patch_embeds"]
    print(f"{path}: pixel_values {pv.dtype} {list(pv.shape)}, image_grid_thw {grid.dtype} {grid.tolist()}, "
          f"patch_embeds {pe.dtype} {list(pe.shape)}")
    with safe_open(path, "np") as f:
        meta = f.metadata() or {}
    min_pixels, max_pixels = int(meta.get("min_pixels", 3136)), int(meta.get("max_pixels", 12845056))
    print(f"metadata: {meta}")
    ref = Qwen2VLImageProcessorPil(min_pixels=min_pixels, max_pixels=max_pixels)(
        images=Image.open(image_path).convert("RGB"), return_tensors="np")
    pv_diff = float(np.abs(ref["pixel_values"] - pv).max()) if ref["pixel_values"].shape == pv.shape else float("inf")
    print(f"pixel_values vs Qwen2VLImageProcessorPil: max abs diff {pv_diff:.3g}; grid {ref['image_grid_thw'].tolist()}")
    if "seeded" not in meta.get("weights", "seeded"):
        print("patch_embeds: weights came from a checkpoint, not the seeded init; compare with torch yourself")
        ok = pv_diff <= 1e-6 and grid.tolist() == ref["image_grid_thw"].tolist()
        print("OK (pixel_values, grid)" if ok else "MISMATCH")
        return 0 if ok else 1
    w = torch.from_numpy(seeded_patch_embed_weight().copy())
    with torch.no_grad():
        y = torch.nn.functional.conv3d(torch.from_numpy(pv).view(-1, 3, 2, 14, 14).double(), w.double(),
                                       stride=(2, 14, 14)).view(-1, 1280).numpy()
    rel = float(np.abs(pe - y).max() / np.abs(y).max())
    print(f"patch_embeds vs torch Conv3d (float64, seeded weights): relative error {rel:.3g}")
    ok = pv_diff <= 1e-6 and grid.tolist() == ref["image_grid_thw"].tolist() and rel <= 1e-4
    print("OK" if ok else "MISMATCH")
    return 0 if ok else 1


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--install", action="store_true", help="create/update the venv and install the Python packages")
    p.add_argument("--vlserve", help="path of the vlserve executable (default .build/release/vlserve)")
    p.add_argument("--image-size", default="1280x720", help="WxH; N = patches of its smart_resize (default 1280x720)")
    p.add_argument("--patches", type=int, help="patch count N (overrides --image-size)")
    p.add_argument("--threads", type=int, default=os.cpu_count() or 1)
    p.add_argument("--repeats", type=int, default=10)
    p.add_argument("--image", help="a JPEG for the processor timing (default: a synthetic photo of --image-size)")
    p.add_argument("--skip-processors", action="store_true")
    p.add_argument("--check-encode", nargs=2, metavar=("OUT_SAFETENSORS", "IMAGE"))
    args = p.parse_args()
    ensure_environment(args.install)
    if args.check_encode:
        sys.exit(check_encode(*args.check_encode))

    width, height = (int(v) for v in args.image_size.lower().split("x"))
    rh, rw = smart_resize(height, width)
    patches = args.patches or (rh // 14) * (rw // 14)
    flops = 2.0 * patches * 1176 * 1280
    vlserve = find_vlserve(args.vlserve)

    rows = []  # (name, dtype, ms)
    ours = None
    if vlserve:
        ours = run_vlserve_conv(vlserve, args, patches)
        for r in ours["results"]:
            rows.append((f"vlserve {r['impl']} ({r.get('backend', 'openblas')})", r.get("dtype", "float32"), r["median_ms"]))
    else:
        print("warning: no vlserve executable found (build with `swift build -c release`); torch rows only", file=sys.stderr)
    print(f"timing torch on [{patches}, 3, 2, 14, 14] with {args.threads} thread(s)...", file=sys.stderr)
    torch_ms, torch_version = run_torch(patches, args.threads, args.repeats)
    for (op, dtype), ms in torch_ms.items():
        rows.append((f"torch {torch_version} {'Conv3d' if op == 'conv' else 'F.linear'}", dtype, ms))

    print()
    if ours:
        print(f"CPU: {ours.get('cpu', '?')} [{' '.join(ours.get('cpu_features', []))}]; OpenBLAS core "
              f"{ours.get('blas_core', '?')}; oneDNN {ours.get('onednn', '?')}; torch {torch_version}")
    print(f"Patch embedding, {args.image_size} -> {rw}x{rh} = {patches} patches: [{patches}, 1176] x [1176, 1280], "
          f"{flops / 1e9:.2f} GFLOP, {args.threads} thread(s), median of {args.repeats}")
    header = (f"{'implementation':<36}{'dtype':<10}{'median ms':>10}{'GFLOP/s':>9}{'vs sgemm':>10}"
              f"{'vs torch Conv3d':>17}{'vs torch Linear':>17}")
    print(header)
    print("-" * len(header))
    sgemm_ms = next((ms for n, _, ms in rows if n.startswith("vlserve sgemm")), None)
    for name, dtype, ms in rows:
        if ms is None:
            continue
        vs_sgemm = f"{sgemm_ms / ms:.3f}x" if sgemm_ms else "-"
        conv_ms, lin_ms = torch_ms[("conv", dtype)], torch_ms[("linear", dtype)]
        print(f"{name:<36}{dtype:<10}{ms:>10.2f}{flops / ms / 1e6:>9.1f}{vs_sgemm:>10}{conv_ms / ms:>16.2f}x{lin_ms / ms:>16.2f}x")
    if ours:
        results = ours["results"]
        print()
        print("bars (this run; ratios of speed, higher is faster):")
        bf16 = [r for r in results if r.get("dtype") == "bfloat16" and r["impl"] not in ("onednn-matmul", "direct")
                and r["median_ms"]]
        if bf16:
            best = min(bf16, key=lambda r: r["median_ms"])
            ratio = torch_ms[("linear", "bfloat16")] / best["median_ms"]
            print(f"  best bf16 patch embedding ({best['impl']}) vs torch bf16 F.linear: {ratio:.2f}x "
                  f"{'PASS' if ratio >= 0.85 else 'FAIL'} (>= 0.85x)")
        gemm = next((r for r in results if r["impl"] == "gemm" and r.get("backend") == "onednn"
                     and r.get("dtype") == "float32"), None)
        if gemm and gemm.get("ratio_to_raw"):
            print(f"  float32 gemm on onednn vs raw oneDNN f32 matmul: {gemm['ratio_to_raw']:.2f}x "
                  f"{'PASS' if gemm['ratio_to_raw'] >= 0.9 else 'FAIL'} (>= 0.9x)")
        print("  max abs diff to direct: " + ", ".join(
            f"{r['impl']}/{r.get('backend', '')}/{r.get('dtype', '')} {r['max_abs_diff']:.2e}" for r in results
            if r["max_abs_diff"] is not None))

    if not args.skip_processors:
        jpeg_path = args.image
        if jpeg_path:
            jpeg = open(jpeg_path, "rb").read()
        else:
            jpeg = synthetic_jpeg(width, height)
            jpeg_path = os.path.join(os.environ.get("TMPDIR", "/tmp"), f"vlserve-bench-{width}x{height}.jpg")
            with open(jpeg_path, "wb") as f:
                f.write(jpeg)
        print(f"\nPreprocessing {jpeg_path} ({len(jpeg)} bytes) from bytes to pixel_values, median of {args.repeats}:",
              file=sys.stdout)
        procs, decode_ms = run_processors(jpeg, args.repeats)
        for name, ms in procs.items():
            print(f"  {name:<52}{ms:>9.2f} ms")
        print(f"  {'(of which Pillow JPEG decode + convert)':<52}{decode_ms:>9.2f} ms")
        if vlserve:
            for frames, what in ((2, "[N, 1176]"), (1, "[N, 588], the folded serving path")):
                out = run_vlserve_preprocess(vlserve, jpeg_path, args.repeats, frames)
                if out is None:
                    print(f"  (vlserve bench-preprocess cannot write {what})")
                    continue
                try:
                    r = json.loads(out.splitlines()[-1])
                    tv = next((ms for n, ms in procs.items() if "torchvision" in n), None)
                    ratio = (f"  ({r['total_ms'] / tv:.2f}x the torchvision processor's time; bar <= 0.33x: "
                             f"{'PASS' if r['total_ms'] / tv <= 1 / 3 else 'FAIL'})") if tv else ""
                    label = f"vlserve bench-preprocess {what}"
                    print(f"  {label:<52}{r['total_ms']:>9.2f} ms{ratio}")
                    print(f"  {'  decode / resize / patchify':<52}{r.get('decode_ms', 0):>9.2f} / {r.get('resize_ms', 0):.2f} / "
                          f"{r.get('patchify_ms', 0):.2f} ms")
                except (ValueError, KeyError, IndexError):
                    print(f"  vlserve bench-preprocess: {out}")

if __name__ == "__main__":
    main()
