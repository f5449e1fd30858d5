#!/usr/bin/env python3
"""Print, for each performance goal of the project, the time ratio measured
in each boot and the work per operation of the compared methods, from the
results file of make bench (build/bench/results.csv)."""
import sys
from collections import defaultdict

from bench_results import load, work_metric

# name, benchmark, time ratio metric, goal, (method, label) compared, work unit
GOALS = [
    ("guest_memfd fault-in vs anonymous memory (issue 4)", "gmem_fault",
     "ratio_gmem_over_anon", ">= 1.0",
     [("gmem", "guest_memfd"), ("anon", "anonymous")], "page"),
    ("in place vs two backings, 1 page per call (issue 5)",
     "gmem_convert_1", "ratio_in_place_over_two_backings", ">= 2.0",
     [("in_place", "in place"), ("two_backings", "two backings")],
     "page round trip"),
    ("in place vs two backings, 64 pages per call (issue 5)",
     "gmem_convert_64", "ratio_in_place_over_two_backings", ">= 2.0",
     [("in_place", "in place"), ("two_backings", "two backings")],
     "page round trip"),
    ("protected (private memory) vs non-protected first touch (issue 6)",
     "gmem_fault", "ratio_protected_private_over_gmem", ">= 0.67",
     [("protected_private", "protected"), ("gmem", "non-protected")], "page"),
    ("protected (memory left shared) vs non-protected first touch (issue 6)",
     "gmem_fault", "ratio_protected_over_gmem", ">= 0.67",
     [("protected", "protected"), ("gmem", "non-protected")], "page"),
    ("huge vs 4 KiB guest_memfd first touch, non-protected (issue 20)",
     "gmem_fault", "ratio_gmem_huge_over_gmem", ">= 10.0",
     [("gmem_huge", "huge"), ("gmem", "4 KiB")], "page"),
    ("huge vs 4 KiB guest_memfd first touch, protected (issue 20)",
     "gmem_fault", "ratio_protected_huge_over_protected_private", ">= 10.0",
     [("protected_huge", "huge"), ("protected_private", "4 KiB")], "page"),
    ("huge vs 4 KiB first touch, non-protected, preallocated (issue 20)",
     "gmem_fault", "ratio_gmem_huge_prealloc_over_gmem_prealloc", ">= 10.0",
     [("gmem_huge_prealloc", "huge"), ("gmem_prealloc", "4 KiB")], "page"),
    ("huge vs 4 KiB first touch, protected, preallocated (issue 20)",
     "gmem_fault", "ratio_protected_huge_prealloc_over_protected_prealloc",
     ">= 10.0", [("protected_huge_prealloc", "huge"),
                 ("protected_prealloc", "4 KiB")], "page"),
    ("one-page conversion inside a huge vs small folios, time (issue 20)",
     "gmem_convert_in_block", "ratio_huge_time_over_small", "none, a cost",
     [("huge", "huge"), ("small", "4 KiB")], "cycle"),
    ("host split and merge of a huge folio vs small folios, time (issue 20)",
     "gmem_split_merge", "ratio_huge_time_over_small", "none, a cost",
     [("huge", "huge"), ("small", "4 KiB")], "cycle"),
]


def by_benchmark(rows):
    """{(benchmark, boot): {metric: (value, spread, unstable)}}"""
    results = defaultdict(dict)
    for r in rows:
        results[(r["benchmark"], r["boot"])][r["metric"]] = (
            r["value"], r["spread_pct"], r["unstable"] == "1")
    return results


def work(metrics, method):
    """The counters of METHOD's work: {counter: value per operation}."""
    return {w[1]: v[0] for m, v in metrics.items()
            if (w := work_metric(m)) and w[0] == method}


def print_bound(metrics, methods):
    """For fault-in goals: the highest ratio the first method could
    reach, if its first touch cost no more than touching the memory again
    once mapped (the guest's own accesses, slow under emulation); and, where
    measured, the ratio of faulting the same, already zeroed, folios in
    again, and how much longer the first method's first touch takes."""
    (fast, _), (slow, _) = methods
    retouch = metrics.get(f"{fast}_retouch_pages_per_sec")
    rate = metrics.get(f"{slow}_pages_per_sec")
    if retouch and rate and rate[0]:
        print(f"    bound by the guest's own accesses: {retouch[0] / rate[0]:.2f}")
    refault = [metrics.get(f"{m}_refault_pages_per_sec") for m, _ in methods]
    first = metrics.get(f"{fast}_pages_per_sec")
    if all(refault) and first:
        print(f"    faulting zeroed folios in again: {refault[0][0] / refault[1][0]:.2f}"
              f" (first touch: {refault[0][0] / first[0]:.2f}x as long)")


def print_goal(results, boots, goal):
    name, bench, ratio, target, methods, unit = goal
    print(f"{name}: goal {target}")
    for boot in boots:
        metrics = results.get((bench, boot))
        if not metrics or ratio not in metrics:
            continue
        value, spread, unstable = metrics[ratio]
        print(f"  {boot}: time ratio {value:.2f} (spread {spread}%"
              f"{', unstable' if unstable else ''})")
        if bench == "gmem_fault":
            print_bound(metrics, methods)
        works = [work(metrics, m) for m, _ in methods]
        counters = sorted(set().union(*works))
        if not counters:
            continue
        head = "".join(f"{label:>15}" for _, label in methods)
        print(f"    work per {unit:<22}{head}{'ratio':>9}")
        for c in counters:
            vals = [w.get(c, 0.0) for w in works]
            ratio_w = f"{vals[0] / vals[1]:.2f}" if vals[1] else "-"
            cells = "".join(f"{v:15.4g}" for v in vals)
            print(f"    {c:<31}{cells}{ratio_w:>9}")


def main():
    results = by_benchmark(load(sys.argv[1]))
    boots = sorted({boot for _, boot in results})
    for goal in GOALS:
        print_goal(results, boots, goal)
    # Rates and ratios; rare work (e.g. background page allocations) varies
    # a lot relatively, which results.csv flags too.
    unstable = [f"{b} {bench} {m} (spread {v[1]}%)"
                for (bench, b), ms in sorted(results.items())
                for m, v in ms.items() if v[2] and "." not in m]
    if unstable:
        print("rates and ratios that varied more than 10% between rounds:")
        for u in unstable:
            print(f"  {u}")


if __name__ == "__main__":
    main()
