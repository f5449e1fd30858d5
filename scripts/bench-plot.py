#!/usr/bin/env python3
"""Draw the plots of make bench's results file with gnuplot, as SVG and PNG
in DIR: the rates per boot (rates), the time ratios that the goals name
(ratios), and per benchmark and boot the work per operation of the compared
methods side by side (work-BENCHMARK-BOOT).

usage: bench-plot.py RESULTS.csv DIR"""
import os
import subprocess
import sys
from collections import defaultdict

from bench_results import load, work_metric


def short(label):
    """LABEL without what the plot's title says already."""
    return label.replace("_pages_per_sec", "").replace("ratio_", "")


def write_table(path, rows, columns, cell):
    """A gnuplot data file: one line per row, label first, "-" if none."""
    with open(path, "w") as f:
        f.write("label " + " ".join(f'"{c}"' for c in columns) + "\n")
        for r in rows:
            vals = [cell(r, c) for c in columns]
            f.write(f'"{short(r)}" ' +
                    " ".join("-" if v is None else f"{v:g}" for v in vals) +
                    "\n")


def plot(outdir, name, title, ylabel, columns, logscale=False):
    """Draw OUTDIR/NAME.dat as a clustered histogram in SVG and PNG."""
    data = os.path.join(outdir, name + ".dat")
    series = ", ".join(
        f"'{data}' using {i + 2}:xtic(1) title columnheader({i + 2})"
        for i in range(len(columns)))
    for term, ext in (("svg size 1100,700 dynamic", "svg"),
                      ("pngcairo size 1100,700", "png")):
        script = f"""
set terminal {term}
set output '{os.path.join(outdir, name + "." + ext)}'
set title "{title}" noenhanced
set ylabel "{ylabel}"
set datafile missing "-"
set style data histograms
set style histogram clustered gap 1
set style fill solid 0.8 border -1
set key top right noenhanced
set xtics rotate by -40 noenhanced
set grid ytics
set bmargin 13
set rmargin 8
{"set logscale y" if logscale else "set yrange [0:*]"}
plot {series}
"""
        subprocess.run(["gnuplot"], input=script, text=True, check=True)


def main():
    rows = [(r["benchmark"], r["boot"], r["metric"], r["value"])
            for r in load(sys.argv[1])]
    outdir = sys.argv[2]
    os.makedirs(outdir, exist_ok=True)
    boots = sorted({r[1] for r in rows})
    value = {(b, bo, m): v for b, bo, m, v in rows}

    for name, title, ylabel, pick, log in (
            ("rates", "Pages (or calls) per second, per boot (medians)",
             "per second",
             lambda m: m.endswith("_pages_per_sec") and "." not in m, True),
            ("ratios", "Time ratios of the goals (same boot)", "ratio",
             lambda m: m.startswith("ratio_"), False)):
        labels = sorted({f"{b}:{m}" for b, _, m, _ in rows if pick(m)})
        write_table(os.path.join(outdir, name + ".dat"), labels, boots,
                    lambda lab, boot: value.get(
                        (lab.split(":")[0], boot, lab.split(":")[1])))
        if labels:
            plot(outdir, name, title, ylabel, boots, log)

    # Work: METHOD.COUNTER_per_UNIT metrics, per benchmark and boot.
    work = defaultdict(dict)
    for b, bo, m, v in rows:
        w = work_metric(m)
        if w:
            method, counter, unit = w
            work[(b, bo, unit)][(method, counter)] = v
    for (b, bo, unit), cells in sorted(work.items()):
        methods = sorted({mc[0] for mc in cells})
        counters = sorted({mc[1] for mc in cells})
        name = f"work-{b}-{bo}"
        write_table(os.path.join(outdir, name + ".dat"), counters, methods,
                    lambda c, m: cells.get((m, c), 0.0))
        plot(outdir, name, f"Work per {unit}: {b} ({bo})",
             f"per {unit}", methods)


if __name__ == "__main__":
    main()
