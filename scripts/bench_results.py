"""Reading make bench's results file (build/bench/results.csv), for the
scripts that summarize and plot it."""
import csv


def load(path):
    """The rows of PATH, each a dict with a float "value"."""
    with open(path, newline="") as f:
        rows = list(csv.DictReader(f))
    for r in rows:
        r["value"] = float(r["value"])
    return rows


def work_metric(metric):
    """(method, counter, unit) of a METHOD.COUNTER_per_UNIT work metric, or
    None for other metrics (rates, ratios, METHOD.us_per_UNIT.STEP times)."""
    method, dot, rest = metric.partition(".")
    if not dot or rest.startswith("us_per_") or "_per_" not in rest:
        return None
    counter, unit = rest.rsplit("_per_", 1)
    return method, counter, unit
