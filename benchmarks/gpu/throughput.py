"""minae on CuPy against PyTorch CUDA eager, and against minae on the same machine's CPU.

    python benchmarks/gpu/throughput.py                       # on a machine with a GPU
    python benchmarks/gpu/throughput.py --device stand-in     # the rehearsal, on a CPU

Workloads, float32, Adam at 1e-3, each framework from the same initial weights:

- ``a256``, ``a1024``: the dense autoencoder (a) of ``train_throughput.py``,
  784-512-256-128-32 mirrored, ReLU, sigmoid output, squared error; batch 256 and 1024;
- ``b256``, ``b1024``: its (b), Hinton & Salakhutdinov's 784-1000-500-250-30, sigmoid units;
- ``vae``: lesson 09's VAE, 784-400-2·20 and 20-400-784 with ReLU, Bernoulli likelihood
  on the logits plus the Gaussian KL; batch 128;
- ``k``, ``s``: the convolutional autoencoders (k) and (s) of ``conv_throughput.py``,
  binary cross-entropy; batch 128.

Runners, each in its own process: ``minae`` (the cupy backend; with ``--device
stand-in`` the suite's stand-in device, ``tests/strict_device.py``, which refuses every
implicit trip to the host as CuPy does), ``torch`` (CUDA; the CPU for the stand-in), and
``minae_host`` (NumPy on this machine's CPU). minae and torch alternate ``--reps`` times;
the host runs once, on ``--host-images`` images. The measure is images per second over
one epoch, after a warm-up that compiles the kernels, the device synchronised before the
clock stops; the table gives medians and the ratios minae / torch and minae on the device
/ minae on the host. The first lines name the GPU, driver, CUDA, CuPy and PyTorch.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
sys.path.insert(0, str(HERE.parent))  # the CPU benchmarks' models
sys.path.insert(0, str(ROOT))

WORKLOADS = {  # name: (model, batch)
    "a256": ("a", 256),
    "a1024": ("a", 1024),
    "b256": ("b", 256),
    "b1024": ("b", 1024),
    "vae": ("vae", 128),
    "k": ("k", 128),
    "s": ("s", 128),
}
LATENT = 20  # lesson 09's second VAE
PROFILE_STEPS = 10


def images(model: str, n: int) -> np.ndarray:
    shape = (n, 784) if model in ("a", "b", "vae") else (n, 1, 28, 28)
    return np.random.default_rng(1).uniform(size=shape).astype(np.float32)


def minae_model(model: str):
    """minae's model for a workload, built on the host Generator (the same on any backend)."""
    import conv_throughput
    import train_throughput

    import minae

    if model in ("a", "b"):
        return train_throughput.minae_model(model)[1]
    if model == "vae":
        rng = np.random.default_rng(0)
        encoder = minae.mlp(
            [784, 400, 2 * LATENT], activation="relu", init="fan_in_uniform", rng=rng
        )
        decoder = minae.mlp([LATENT, 400, 784], activation="relu", init="fan_in_uniform", rng=rng)
        return minae.VAE(encoder, decoder, minae.BCEWithLogits(), rng=1)
    return conv_throughput.minae_model(model)[1]


def host_weights(model) -> None:
    """Bring every parameter to the host (for PyTorch's copy of the initial weights)."""
    import minae

    for p in model.parameters():
        p.value = minae.to_host(p.value)


def run_minae(workload: str, n: int, sync, profile_steps: int = 0):
    """Images per second of ``minae.train`` over one epoch of ``n`` images, and with
    ``profile_steps``, the profile of that many more steps."""
    import minae

    name, batch = WORKLOADS[workload]
    model = minae_model(name)
    X = minae.to_device(images(name, n))
    optimizer = minae.Adam(model.parameters(), lr=1e-3)
    settings = dict(batch_size=batch, rng=0, progress=False)
    minae.train(model, optimizer, X[: 4 * batch], epochs=1, **settings)  # compile, allocate
    sync()
    start = time.perf_counter()
    minae.train(model, optimizer, X, epochs=1, **settings)
    sync()
    rate = n / (time.perf_counter() - start)
    if not profile_steps:
        return rate, None

    def steps():
        minae.train(model, optimizer, X[: profile_steps * batch], epochs=1, **settings)
        sync()

    return rate, profile(workload, steps, profile_steps, cuda=sync is not _no_sync)


def _no_sync() -> None:
    pass


def run_torch(workload: str, n: int, device: str, profile_steps: int = 0):
    """Images per second of PyTorch eager over one epoch of ``n`` images, and with
    ``profile_steps``, the profile of that many more steps."""
    import conv_throughput
    import torch

    name, batch = WORKLOADS[workload]
    model = minae_model(name)
    host_weights(model)
    nn = torch.nn
    if name == "vae":
        encoder = nn.Sequential(*map(conv_throughput.torch_layer, model.encoder.layers))
        decoder = nn.Sequential(*map(conv_throughput.torch_layer, model.decoder.layers))
        net = nn.ModuleList([encoder, decoder]).to(device)
    else:
        net = conv_throughput.torch_twin(model).to(device)
    optimizer = torch.optim.Adam(net.parameters(), lr=1e-3)
    X = torch.from_numpy(images(name, n)).to(device)
    generator = torch.Generator(device="cpu").manual_seed(0)

    def loss_of(x):
        if name in ("a", "b"):
            return ((net(x) - x) ** 2).sum(dim=1).mean()
        if name in ("k", "s"):
            return nn.functional.binary_cross_entropy(net(x), x, reduction="sum") / x.shape[0]
        h = net[0](x)
        mu, logvar = h[:, :LATENT], h[:, LATENT:]
        z = mu + torch.exp(0.5 * logvar) * torch.randn_like(mu)
        logits = net[1](z)
        nll = nn.functional.binary_cross_entropy_with_logits(logits, x, reduction="sum")
        kl = -0.5 * (1 + logvar - mu * mu - torch.exp(logvar)).sum()
        return (nll + kl) / x.shape[0]

    def epoch(X) -> float:
        order = torch.randperm(X.shape[0], generator=generator).to(device)
        sync = torch.cuda.synchronize if device == "cuda" else lambda: None
        sync()
        start = time.perf_counter()
        for lo in range(0, X.shape[0], batch):
            optimizer.zero_grad(set_to_none=True)
            loss_of(X[order[lo : lo + batch]]).backward()
            optimizer.step()
        sync()
        return X.shape[0] / (time.perf_counter() - start)

    epoch(X[: 4 * batch])
    rate = epoch(X)
    if not profile_steps:
        return rate, None
    steps = lambda: epoch(X[: profile_steps * batch])  # noqa: E731
    return rate, profile(workload, steps, profile_steps, cuda=device == "cuda")


def profile(workload: str, run_steps, steps: int, cuda: bool) -> dict:
    """Kernels per step and the largest kernels of ``steps`` training steps, as PyTorch's
    profiler (CUPTI) records them: every kernel launched in the process, CuPy's included."""
    try:
        import torch
        from torch.profiler import ProfilerActivity

        activity = ProfilerActivity.CUDA if cuda else ProfilerActivity.CPU
        with torch.profiler.profile(activities=[activity]) as prof:
            run_steps()
    except Exception as err:  # no PyTorch, or no CUPTI: the times stand without it
        return {"error": f"{type(err).__name__}: {err}"[:200]}
    key = "self_device_time_total" if cuda else "self_cpu_time_total"
    events = [e for e in prof.key_averages() if getattr(e, key, 0) > 0 and e.count > 0]
    events.sort(key=lambda e: getattr(e, key), reverse=True)
    total = sum(getattr(e, key) for e in events)
    launched = sum(e.count for e in events)
    return {
        "kernels_per_step": launched / steps,
        "device_ms_per_step": total / 1e3 / steps,
        "largest": [
            [e.key[:60], e.count / steps, round(getattr(e, key) / 1e3 / steps, 3)]
            for e in events[:6]
        ],
    }


def versions() -> dict:
    found = {"python": sys.version.split()[0], "numpy": np.__version__}
    try:
        import cupy

        runtime = cupy.cuda.runtime
        found["gpu"] = runtime.getDeviceProperties(0)["name"].decode()
        found["driver"] = runtime.driverGetVersion()
        found["cuda runtime"] = runtime.runtimeGetVersion()
        found["cupy"] = cupy.__version__
    except Exception as err:  # no CuPy, or no GPU: the rehearsal
        found["cupy"] = f"absent ({type(err).__name__})"
    try:
        import torch

        found["torch"] = torch.__version__
        found["torch cuda"] = torch.version.cuda
    except ImportError:
        found["torch"] = "absent"
    return found


def worker(runner: str, device: str, workloads: list[str], n: int, profiled: list[str]) -> None:
    """Run every workload in this process; print one JSON line per workload."""
    if runner == "torch":
        torch_device = "cuda" if device == "cuda" else "cpu"
        measure = lambda w, k: run_torch(w, n, torch_device, k)  # noqa: E731
    else:
        from minae.infrastructure import backend

        sync = _no_sync
        if runner == "minae" and device == "cuda":
            backend.set_backend("cupy")
            sync = backend.array_module().cuda.Device().synchronize
        elif runner == "minae" and device == "stand-in":
            sys.path.insert(0, str(ROOT / "tests"))
            from strict_device import strict

            backend._state["xp"] = strict  # what set_backend("cupy") does, with the stand-in
        measure = lambda w, k: run_minae(w, n, sync, k)  # noqa: E731
    for workload in workloads:
        steps = PROFILE_STEPS if workload in profiled and runner != "minae_host" else 0
        try:
            rate, found = measure(workload, steps)
            result = {"images_per_s": rate, "profile": found}
        except Exception as err:  # one workload failing says why and the rest still run
            result = {"error": f"{type(err).__name__}: {err}"[:300]}
        print(json.dumps({"workload": workload, **result}), flush=True)


def spawn(runner, device, workloads, n, timeout, profiled=()):
    command = [sys.executable, __file__, "--worker", runner, "--device", device]
    command += ["--images", str(n), "--workloads", *workloads, "--profile", *profiled]
    env = dict(os.environ)
    env.pop("MINAE_BACKEND", None)  # the worker picks its own
    try:
        run = subprocess.run(
            command,
            env=env,
            capture_output=True,
            text=True,
            encoding="utf-8",
            timeout=timeout,
            check=False,
        )
        out, tail = run.stdout, run.stderr.strip().splitlines()[-1:] or ["no error printed"]
    except subprocess.TimeoutExpired as err:
        out, tail = err.stdout or "", [f"timed out after {timeout} s"]
        out = out.decode() if isinstance(out, bytes) else out
    results = {}
    for line in out.splitlines():
        if line.startswith("{"):
            row = json.loads(line)
            results[row.pop("workload")] = row
    for workload in workloads:
        results.setdefault(workload, {"error": tail[0][:300]})
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--device", choices=("cuda", "stand-in"), default="cuda")
    parser.add_argument("--reps", type=int, default=2)
    parser.add_argument("--images", type=int, default=60000, help="per epoch, on the device")
    parser.add_argument("--host-images", type=int, default=6400, help="per epoch, on the host")
    parser.add_argument("--workloads", nargs="+", default=list(WORKLOADS), choices=WORKLOADS)
    parser.add_argument("--timeout", type=int, default=240, help="seconds per process")
    parser.add_argument("--budget", type=int, default=600, help="seconds for every process")
    parser.add_argument(
        "--profile",
        nargs="*",
        default=["a1024", "b1024", "s"],
        choices=WORKLOADS,
        help="workloads whose kernels are counted, in the first rep (needs PyTorch)",
    )
    parser.add_argument("--worker", choices=("minae", "torch", "minae_host"))
    args = parser.parse_args()
    if args.worker:
        worker(args.worker, args.device, args.workloads, args.images, args.profile)
        return
    for key, value in versions().items():
        print(f"{key}: {value}")
    print(f"device: {args.device}; {args.images} images per epoch ({args.host_images} on the host)")
    results = {"minae": [], "torch": []}
    host = {}
    deadline = time.perf_counter() + args.budget
    plan = [(r, rep) for rep in range(args.reps) for r in results] + [("minae_host", 0)]
    for runner, rep in plan:
        left = deadline - time.perf_counter()
        if left < 10:
            print(f"{runner} (rep {rep + 1}) not run: the budget of {args.budget} s is spent")
            continue
        n = args.host_images if runner == "minae_host" else args.images
        profiled = args.profile if rep == 0 else ()
        found = spawn(
            runner, args.device, args.workloads, n, min(args.timeout, int(left)), profiled
        )
        print(f"{runner} (rep {rep + 1}): {json.dumps(found)}", flush=True)
        if runner == "minae_host":
            host = found
        else:
            results[runner].append(found)
    report(args.workloads, results, host)


def median_rate(runs: list[dict], workload: str):
    rates = [r[workload]["images_per_s"] for r in runs if "images_per_s" in r.get(workload, {})]
    return statistics.median(rates) if rates else None


def report(workloads, results, host) -> None:
    print(
        "\n| workload | minae (images/s) | torch (images/s) | minae / torch | host (images/s) |"
        " device / host |"
    )
    print("| --- | ---: | ---: | ---: | ---: | ---: |")
    errors = []
    for w in workloads:
        m, t = median_rate(results["minae"], w), median_rate(results["torch"], w)
        h = host.get(w, {}).get("images_per_s")
        cells = [f"{x:,.0f}" if x else "failed" for x in (m, t)]
        ratio = f"{m / t:.2f}x" if m and t else "-"
        over_host = f"{m / h:.1f}x" if m and h else "-"
        print(f"| {w} | {cells[0]} | {cells[1]} | {ratio} | {h or 0:,.0f} | {over_host} |")
        for runner, runs in (*results.items(), ("minae_host", [host])):
            for r in runs:
                if "error" in r.get(w, {}):
                    errors.append(f"{w} {runner}: {r[w]['error']}")
    for line in dict.fromkeys(errors):
        print(line)
    print("\nKernels per training step (PyTorch's profiler), and the largest, ms per step:")
    for runner, runs in results.items():
        for w, row in (runs[0] if runs else {}).items():
            found = row.get("profile")
            if found and "error" in found:
                print(f"{w} {runner}: no profile, {found['error']}")
            elif found:
                print(
                    f"{w} {runner}: {found['kernels_per_step']:.0f} kernels, "
                    f"{found['device_ms_per_step']:.3f} ms of kernels per step"
                )
                for name, count, ms in found["largest"]:
                    print(f"    {ms:8.3f} ms  {count:5.1f}x  {name}")


if __name__ == "__main__":
    main()
