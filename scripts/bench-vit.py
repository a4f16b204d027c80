#!/usr/bin/env python3
"""The whole Qwen2.5-VL vision tower: VLServe (`vlserve bench-vit`) against transformers in float32 and bfloat16,
on the same image size, config and seeded weights, measured in one run.

  swift build -c release --product vlserve   # only a release build gives meaningful numbers
  VLSERVE_VENV=/path/to/venv scripts/bench-vit.py [--image-size 448x448] [--threads 2] [--repeats 3]
                                                  [--dtypes float32,bfloat16] [--skip-vlserve] [--json out.json]

For each dtype it runs `vlserve bench-vit --json --dtype D --reference-repeats R` (the selected = fastest
implementations; add --vlserve-args to pass others, e.g. '--gemm-backend onednn' for float32), then builds transformers'
Qwen2_5_VisionTransformerPretrainedModel (sdpa attention) with the 7B vision config and every parameter from
seeded_init.seeded_tower_parameter (== SeededInit.towerParameter), and times its forward on seeded
pixel_values of the same grid (median of --repeats after one warm-up, torch.set_num_threads(--threads)).
Prints one table: per dtype VLServe's tower ms, transformers' ms and the ratio (the issue's bar: <= 0.5).

  scripts/bench-vit.py --check-encode out.safetensors   # a `vlserve encode --vision-encoder full` file made with
                                                        # seeded weights and the 7B config: runs transformers'
                                                        # tower on its pixel_values and grid and prints the error
"""
import argparse
import json
import math
import os
import shlex
import statistics
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "scripts", "fixtures"))
from seeded_init import smart_resize  # noqa: E402  (numpy only; the heavy imports come later)


def venv_python():
    v = os.environ.get("VLSERVE_VENV", ".venv-ref")
    v = v if os.path.isabs(v) else os.path.join(ROOT, v)
    return os.path.join(v, "bin", "python")


def reexec_in_venv():
    try:
        import torch, transformers, numpy  # noqa: F401
    except ImportError:
        py = venv_python()
        if os.path.exists(py) and os.path.realpath(sys.executable) != os.path.realpath(py):
            os.execv(py, [py, os.path.abspath(__file__)] + sys.argv[1:])
        sys.exit("error: torch/transformers not importable; set VLSERVE_VENV to a venv that has them")


def run_vlserve(args, dtype):
    binary = os.path.join(ROOT, ".build", "release", "vlserve")
    cmd = [binary, "bench-vit", "--json", "--image-size", args.image_size, "--dtype", dtype,
           "--repeats", str(args.repeats), "--reference-repeats", str(args.reference_repeats),
           "--threads", str(args.threads)]
    cmd += shlex.split(args.vlserve_args)
    print("==> " + " ".join(cmd), file=sys.stderr)
    out = subprocess.run(cmd, check=True, stdout=subprocess.PIPE, text=True).stdout
    report = json.loads(out.strip().splitlines()[-1])
    tower = next(r for r in report["rows"] if r["operation"] == "tower")
    return tower["ms"], report


def seeded_model():
    import torch
    from transformers.models.qwen2_5_vl.configuration_qwen2_5_vl import Qwen2_5_VLVisionConfig
    from transformers.models.qwen2_5_vl.modeling_qwen2_5_vl import Qwen2_5_VisionTransformerPretrainedModel
    from seeded_init import seeded_tower_parameter

    config = Qwen2_5_VLVisionConfig(depth=32, hidden_size=1280, num_heads=16, intermediate_size=3420,
                                    out_hidden_size=3584, fullatt_block_indexes=[7, 15, 23, 31], patch_size=14,
                                    temporal_patch_size=2, spatial_merge_size=2, window_size=112, in_channels=3)
    config._attn_implementation = "sdpa"
    print("==> transformers: building the 7B vision tower with seeded weights", file=sys.stderr)
    model = Qwen2_5_VisionTransformerPretrainedModel(config).eval()
    with torch.no_grad():
        for name, p in model.named_parameters():
            p.copy_(torch.from_numpy(seeded_tower_parameter("visual." + name, p.shape)))
    return model


def check_encode(path, threads):
    import torch
    from safetensors.torch import load_file

    torch.set_num_threads(threads)
    tensors = load_file(path)
    model = seeded_model()
    with torch.no_grad():
        out = model(tensors["pixel_values"], tensors["image_grid_thw"])
    reference = (out.pooler_output if hasattr(out, "pooler_output") else out).double()
    ours = tensors["image_embeds"].double()
    error = ((ours - reference).abs().max() / reference.abs().max()).item()
    cos = torch.nn.functional.cosine_similarity(ours.flatten(), reference.flatten(), dim=0).item()
    print(f"{path}: image_embeds {tuple(ours.shape)} vs transformers float32: max|d|/max|ref| {error:.3g}, "
          f"cosine {cos:.8f}")


def time_transformers(args, grid, dtypes):
    import numpy as np
    import torch
    from seeded_init import seeded_uniform

    torch.set_num_threads(args.threads)
    model = seeded_model()
    rows = grid[0] * grid[1] * grid[2]
    pixels = torch.from_numpy(seeded_uniform("bench.pixel_values", rows * 1176, np.float32(2.0), seed=1)
                              .reshape(rows, 1176))
    grid_thw = torch.tensor([grid], dtype=torch.int64)
    results = {}
    for dtype in dtypes:
        torch_dtype = torch.bfloat16 if dtype == "bfloat16" else torch.float32
        model = model.to(torch_dtype)
        x = pixels.to(torch_dtype)
        times = []
        with torch.no_grad():
            for i in range(args.repeats + 1):
                t0 = time.perf_counter()
                model(x, grid_thw)
                dt = time.perf_counter() - t0
                print(f"transformers {dtype} run {i}/{args.repeats}{' (warm-up)' if i == 0 else ''}: {dt:.2f} s",
                      file=sys.stderr)
                if i > 0:
                    times.append(dt)
        results[dtype] = statistics.median(times) * 1000
    return results


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--image-size", default="448x448")
    parser.add_argument("--threads", type=int, default=os.cpu_count())
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--dtypes", default="float32,bfloat16")
    parser.add_argument("--reference-repeats", type=int, default=0,
                        help="runs of VLServe's all-reference tower (its per-operator speedups go to --json)")
    parser.add_argument("--skip-vlserve", action="store_true")
    parser.add_argument("--vlserve-args", default="", help="extra vlserve bench-vit flags, e.g. '--vit-attention reference'")
    parser.add_argument("--json", help="also write the results to this file")
    parser.add_argument("--check-encode", metavar="FILE", help="check a vlserve encode --vision-encoder full output")
    args = parser.parse_args()
    reexec_in_venv()
    if args.check_encode:
        check_encode(args.check_encode, args.threads)
        return
    w, h = (int(v) for v in args.image_size.lower().split("x"))
    rh, rw = smart_resize(h, w)
    grid = [1, rh // 14, rw // 14]
    dtypes = args.dtypes.split(",")
    ours, reports = {}, {}
    if not args.skip_vlserve:
        for dtype in dtypes:
            ours[dtype], reports[dtype] = run_vlserve(args, dtype)
    theirs = time_transformers(args, grid, dtypes)
    print(f"image {args.image_size} -> grid {grid[0]}x{grid[1]}x{grid[2]} ({grid[0] * grid[1] * grid[2]} patches), "
          f"{args.threads} thread(s), median of {args.repeats}")
    print(f"{'dtype':10}{'VLServe ms':>12}{'transformers ms':>17}{'ratio':>8}")
    for dtype in dtypes:
        mine = ours.get(dtype)
        ratio = f"{mine / theirs[dtype]:.2f}" if mine else "-"
        print(f"{dtype:10}{(f'{mine:.0f}' if mine else '-'):>12}{theirs[dtype]:>17.0f}{ratio:>8}")
    for dtype, report in reports.items():
        print(f"VLServe {dtype} per operator (ms, share, speedup over its reference):")
        for row in report["rows"]:
            speedup = f"{row['speedup']:.2f}x" if row.get("speedup") else "-"
            print(f"  {row['operation']:12}{row['implementation']:26}{row['ms']:10.1f}{row['share'] * 100:7.1f}%{speedup:>9}")
    if args.json:
        with open(args.json, "w") as f:
            json.dump({"grid": grid, "threads": args.threads, "repeats": args.repeats, "vlserve_ms": ours,
                       "transformers_ms": theirs, "vlserve_reports": reports}, f, indent=1)


if __name__ == "__main__":
    main()
