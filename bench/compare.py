#!/usr/bin/python3
"""RNN Lab's engine against PyTorch, side by side, in one run.

    python3 bench/compare.py [BENCH_ENGINE] [--repeat R] [--threads N]
                             [--config NAME ...] [--before OLD_BENCH_ENGINE]

BENCH_ENGINE is the C benchmark (default build/bench/bench-engine).  For each
configuration (tutorial, medium, large for the RNN; lstm-tutorial, ...,
gru-large for the other cells; --cell picks cells), the C benchmark and
bench/pytorch-bench.py run one after the other, R times (default 3),
interleaved so that both see the same machine; the best run of each is kept.
Then a table: ms per epoch and GFLOP/s of each, the speed-up (PyTorch time
over C time), and the bar and goal of the design for that size.  The machine,
the BLAS and the date come first, so the output can go straight into
BENCHMARKS.md.  --before runs a second C benchmark (an older build) in the
same interleaving, for an A/B comparison on the same machine at the same
time: the table gets its ms/epoch and speed-up too.  The exit status is 1 if a bar is missed, 0 otherwise.

PyTorch comes from /usr/bin/python3 (Debian's python3-torch) unless --python
says otherwise; it must run on OpenBLAS (libopenblas-dev).
"""

import argparse
import datetime
import os
import re
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)

# name: (bar, goal) as speed-ups over PyTorch: the design's for the RNN,
# issue 9's for LSTM and GRU
TARGETS = {"tutorial": (5.0, 8.0), "medium": (2.0, 3.0), "large": (1.5, 2.0)}
for _cell in ("lstm", "gru"):
    TARGETS.update({f"{_cell}-tutorial": (4.0, 8.0), f"{_cell}-medium": (2.0, 3.0),
                    f"{_cell}-large": (1.5, 2.0)})
CELL_OF = {name: (name.split("-")[0] if "-" in name else "rnn") for name in TARGETS}

LINE = re.compile(r"^(?P<name>\S+)\s+N=\s*(?P<N>\d+)\s+T=\s*(?P<T>\d+)\s+H=\s*(?P<H>\d+)\s+"
                  r"epochs=\s*(?P<epochs>\d+)\s+ms/epoch=\s*(?P<ms>[0-9.eE+-]+)\s+"
                  r"GFLOP/s=\s*(?P<gflops>[0-9.eE+-]+)")


def run(cmd):
    """Run a benchmark command; return (header lines, {config: fields})."""
    p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    if p.returncode != 0:
        sys.exit(f"compare: {' '.join(cmd)} failed with status {p.returncode}: "
                 f"{p.stderr.strip().splitlines()[-1:] or ''}")
    header, rows = [], {}
    for line in p.stdout.splitlines():
        m = LINE.match(line)
        if m:
            name = "tutorial" if m["name"] == "seed" else m["name"]
            rows[name] = dict(N=int(m["N"]), T=int(m["T"]), H=int(m["H"]),
                              epochs=int(m["epochs"]), ms=float(m["ms"]),
                              gflops=float(m["gflops"]))
        elif line.strip():
            header.append(line.strip())
    return header, rows


def machine():
    model, cores = "unknown CPU", 0
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name") and model == "unknown CPU":
                    model = line.split(":", 1)[1].strip()
                if line.startswith("processor"):
                    cores += 1
    except OSError:
        pass
    kernel = os.uname()
    return f"{model}, {cores or os.cpu_count()} cores, {kernel.sysname} {kernel.release} {kernel.machine}"


def main():
    parser = argparse.ArgumentParser(description="Compare the C engine with PyTorch.")
    parser.add_argument("engine", nargs="?", default=os.path.join("build", "bench", "bench-engine"),
                        help="the C benchmark program (default build/bench/bench-engine)")
    parser.add_argument("--repeat", "-r", type=int, default=3, help="runs of each, best kept (default 3)")
    parser.add_argument("--threads", type=int, default=0, help="threads for both sides (default: all)")
    parser.add_argument("--config", choices=list(TARGETS), action="append",
                        help="configuration (repeatable; default: all of the chosen cells)")
    parser.add_argument("--cell", choices=["rnn", "lstm", "gru"], action="append",
                        help="cell (repeatable; default: all three)")
    parser.add_argument("--python", default="/usr/bin/python3", help="Python with PyTorch")
    parser.add_argument("--before", help="an older C benchmark program to run alongside (A/B)")
    args = parser.parse_args()
    if args.repeat < 1:
        sys.exit("compare: --repeat must be at least 1")
    if not os.access(args.engine, os.X_OK):
        sys.exit(f"compare: {args.engine} is not an executable; build it with "
                 f"`ninja -C build bench/bench-engine` or give its path")
    if args.before is not None and not os.access(args.before, os.X_OK):
        sys.exit(f"compare: --before {args.before} is not an executable")

    configs = args.config or [n for n in TARGETS if args.cell is None or CELL_OF[n] in args.cell]
    extra = ["--threads", str(args.threads)] if args.threads > 0 else []
    c_cmd = [args.engine] + extra
    py_cmd = [args.python, os.path.join(HERE, "pytorch-bench.py")] + extra

    start_load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    best_c, best_py, best_old, c_header, py_header = {}, {}, {}, [], []
    sides = [(c_cmd, best_c, "C"), (py_cmd, best_py, "PyTorch")]
    if args.before is not None:
        sides.append(([args.before] + extra, best_old, "C before"))
    for name in configs:
        for r in range(args.repeat):
            print(f"  {name}: run {r + 1}/{args.repeat}", file=sys.stderr, flush=True)
            for cmd, best, which in sides:
                header, rows = run(cmd + ["--config", name])
                if name not in rows:
                    sys.exit(f"compare: the {which} benchmark printed no '{name}' line")
                if which == "C":
                    c_header = header
                elif which == "PyTorch":
                    py_header = header
                if name not in best or rows[name]["ms"] < best[name]["ms"]:
                    best[name] = rows[name]

    print(f"Date: {datetime.datetime.now().astimezone().strftime('%Y-%m-%d %H:%M %Z')}")
    print(f"Machine: {machine()}")
    print(f"Load average (1, 5, 15 min) at the start: {start_load}, at the end: "
          f"{', '.join(f'{x:.1f}' for x in os.getloadavg())}")
    for line in c_header:
        print(f"C engine: {line}")
    for line in py_header:
        print(f"PyTorch: {line}")
    print(f"Best of {args.repeat} runs each, interleaved per configuration. "
          f"Speed-up = PyTorch ms/epoch / C ms/epoch.")
    print()
    before_head = "| C before ms/epoch | speed-up before " if best_old else ""
    print("| cell | config | windows x T x H | C ms/epoch | C GFLOP/s | PyTorch ms/epoch | PyTorch GFLOP/s "
          f"| speed-up | bar | goal {before_head}|")
    print("|---|---|---|---:|---:|---:|---:|---:|---|---|" + ("---:|---:|" if best_old else ""))
    missed = False
    for name in configs:
        c, p = best_c[name], best_py[name]
        if (c["N"], c["T"], c["H"]) != (p["N"], p["T"], p["H"]):
            sys.exit(f"compare: {name}: the two benchmarks do not run the same shape "
                     f"(C {c['N']}x{c['T']}x{c['H']}, PyTorch {p['N']}x{p['T']}x{p['H']})")
        ratio = p["ms"] / c["ms"] if c["ms"] > 0 else float("inf")
        bar, goal = TARGETS[name]
        bar_ok, goal_ok = ratio >= bar, ratio >= goal
        missed |= not bar_ok
        before = ""
        if best_old:
            o = best_old[name]
            before = f" {o['ms']:.3f} | {p['ms'] / o['ms'] if o['ms'] > 0 else float('inf'):.2f}x |"
        print(f"| {CELL_OF[name]} | {name.split('-')[-1]} | {c['N']} x {c['T']} x {c['H']} | {c['ms']:.3f} | {c['gflops']:.2f} "
              f"| {p['ms']:.3f} | {p['gflops']:.2f} | {ratio:.2f}x "
              f"| {bar:g}x {'met' if bar_ok else 'MISSED'} | {goal:g}x {'met' if goal_ok else 'not met'} |{before}")
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
