"""`python -m benchmarks --json OUT.json [--only GROUP ...] [--quick]`

Runs the groups, prints a table and writes one JSON file. Benchmarks report; they never
fail the run because a figure misses its target or a component is missing.
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from types import ModuleType

from benchmarks import barcode, call, card, delivery, folder, printing, scan, startup, vault
from benchmarks.common import Result, attempt, machine

GROUPS: dict[str, ModuleType] = {"startup": startup, "vault": vault, "card": card, "barcode": barcode, "scan": scan, "print": printing, "folder": folder, "call": call, "delivery": delivery}
"""Each group module has FIGURES (what it reports) and run(quick) -> list[Result]."""


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m benchmarks", description="Measured figures beside same-run baselines.")
    p.add_argument("--json", type=Path, metavar="OUT.json", help="write the results here")
    p.add_argument("--only", nargs="+", action="extend", choices=list(GROUPS), metavar="GROUP", help=f"run only these groups ({', '.join(GROUPS)})")
    p.add_argument("--quick", action="store_true", help="smaller sizes and fewer repetitions: under a minute per group")
    return p


def run_group(name: str, quick: bool) -> list[Result]:
    module = GROUPS[name]
    return attempt(module.FIGURES, lambda: module.run(quick))


def table(results: list[Result]) -> str:
    rows = [("group", "figure", "value", "baseline", "ratio", "target")]
    for r in results:
        value = "null" if r.value is None else f"{r.value:.4g} {r.unit}"
        baseline = "" if r.baseline_name is None else f"{r.baseline_name} = {_num(r.baseline)}"
        rows.append((r.group, r.name, value, baseline, _num(r.ratio), r.target or ""))
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    lines = ["  ".join(cell.ljust(w) for cell, w in zip(row, widths)).rstrip() for row in rows]
    lines += [f"{r.name}: {r.error}" for r in results if r.error]
    return "\n".join(lines)


def _num(x: float | None) -> str:
    return "" if x is None else f"{x:.4g}"


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    results: list[Result] = []
    for name in GROUPS:
        if args.only and name not in args.only:
            continue
        print(f"running {name}{' (quick)' if args.quick else ''}...", file=sys.stderr, flush=True)
        results += run_group(name, args.quick)
    print(table(results))
    if args.json is not None:
        doc = {"quick": args.quick, "machine": machine(), "results": [r.to_json() for r in results]}
        args.json.write_text(json.dumps(doc, indent=2, ensure_ascii=False) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
