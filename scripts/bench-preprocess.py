#!/usr/bin/env python3
"""Times transformers' Qwen2.5-VL image preprocessing from the same JPEG bytes that VLServe is timed on.

    ${VLSERVE_VENV:-.venv-ref}/bin/python scripts/bench-preprocess.py [IMAGE] [--iterations N] [--json]

For each backend it measures bytes -> pixel_values (Pillow decode + convert + processor call), median of
N runs after warm-up:
  * torchvision: `transformers.Qwen2VLImageProcessor` (transformers 5.x default backend)
  * pil:         `Qwen2VLImageProcessorPil` (VLServe's bit-level reference)
and Pillow's JPEG decode alone. Settings: the checkpoint's min_pixels 3136 / max_pixels 12845056.
Without IMAGE it uses the committed 1280x720 fixture (photo-like JPEG q90).
VLServe's own figure for the same file comes from `vlserve bench-preprocess IMAGE` (VLServeBenchmarks.PreprocessBenchmark).
Also prints the max |difference| of the torchvision backend's pixel_values against the PIL backend's.
"""
import argparse
import io
import json
import os
import statistics
import sys
import time
import warnings

warnings.filterwarnings("ignore")

import numpy as np  # noqa: E402
from PIL import Image  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DEFAULT_IMAGE = os.path.join(ROOT, "Tests", "VisionCoreTests", "Fixtures", "preprocess", "images", "photo_1280x720.jpg")


def timed(fn, iterations):
    fn()
    fn()
    samples = []
    for _ in range(iterations):
        t0 = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - t0) * 1000.0)
    return statistics.median(samples), samples


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("image", nargs="?", default=DEFAULT_IMAGE)
    ap.add_argument("--iterations", type=int, default=30)
    ap.add_argument("--threads", type=int, default=0, help="torch threads (0 = torch's default)")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()

    import torch
    from transformers.models.qwen2_vl.image_processing_pil_qwen2_vl import Qwen2VLImageProcessorPil

    try:
        from transformers import Qwen2VLImageProcessor as TorchvisionProcessor
    except Exception as e:  # noqa: BLE001
        print(f"torchvision backend unavailable: {e}", file=sys.stderr)
        TorchvisionProcessor = None
    if args.threads:
        torch.set_num_threads(args.threads)

    data = open(args.image, "rb").read()
    kwargs = dict(min_pixels=3136, max_pixels=12845056)
    pil_proc = Qwen2VLImageProcessorPil(**kwargs)
    tv_proc = TorchvisionProcessor(**kwargs) if TorchvisionProcessor else None

    def decode():
        im = Image.open(io.BytesIO(data))
        im.load()
        return im

    results = {"image": os.path.relpath(args.image, ROOT), "bytes": len(data), "iterations": args.iterations,
               "torch_threads": torch.get_num_threads()}
    im = decode()
    results["size"] = f"{im.size[0]}x{im.size[1]}"
    results["pillow_decode_ms"], _ = timed(decode, args.iterations)
    results["pil_backend_ms"], _ = timed(lambda: pil_proc(images=decode(), return_tensors="np"), args.iterations)
    if tv_proc is not None:
        results["torchvision_backend_ms"], _ = timed(lambda: tv_proc(images=decode(), return_tensors="pt"),
                                                     args.iterations)
        a = np.asarray(pil_proc(images=decode(), return_tensors="np")["pixel_values"])
        b = tv_proc(images=decode(), return_tensors="pt")["pixel_values"].numpy()
        results["torchvision_vs_pil_max_abs_diff"] = float(np.abs(a - b).max())
        grid = [int(v) for v in np.asarray(pil_proc(images=decode(), return_tensors="np")["image_grid_thw"])[0]]
        results["grid_thw"] = grid

    if args.json:
        print(json.dumps(results))
        return
    print(f"image {results['image']} ({results['size']}, {results['bytes']} bytes), "
          f"median of {args.iterations} runs, torch threads {results['torch_threads']}")
    print(f"  Pillow JPEG decode                       {results['pillow_decode_ms']:8.2f} ms")
    if "torchvision_backend_ms" in results:
        print(f"  transformers torchvision (default)       {results['torchvision_backend_ms']:8.2f} ms  "
              f"(bytes -> pixel_values, grid {results['grid_thw']})")
    print(f"  transformers PIL (Qwen2VLImageProcessorPil) {results['pil_backend_ms']:5.2f} ms")
    if "torchvision_vs_pil_max_abs_diff" in results:
        d = results["torchvision_vs_pil_max_abs_diff"]
        print(f"  torchvision vs PIL pixel_values: max |diff| {d:.6f} (~{d * 255 * 0.2613:.1f} uint8 levels)")


if __name__ == "__main__":
    main()
