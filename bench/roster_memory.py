"""Peak memory and time to load a generated 100,000-row roster, as YAML, JSON and CSV.

Each format loads in its own subprocess, so peak RSS (ru_maxrss) is that load's alone. The
promise in README "Limits" is: 100,000 contacts load within 500 MB peak.

    python bench/roster_memory.py [--rows 100000]
"""

from __future__ import annotations

import argparse
import csv
import json
import subprocess
import sys
import tempfile
from pathlib import Path

import yaml

PROBE = """
import resource, sys, time
from pathlib import Path
from drafter.core.contacts import load_roster
start = time.perf_counter()
contacts = load_roster(Path(sys.argv[1]))
elapsed = time.perf_counter() - start
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(f"{len(contacts)} {elapsed:.1f} {peak:.0f}")
"""


def rows(n: int) -> list[dict[str, object]]:
    return [
        {
            "id": f"person-{i}",
            "name": f"Person Number{i}",
            "company": f"Company {i % 977}",
            "role": "Data engineer",
            "location": "Tromsø, Norway",
            "how_we_met": f"at meetup number {i % 50}",
            "interests": ["stream processing", "sensor calibration", "sailing"],
            "platforms": {"linkedin": f"https://www.linkedin.com/in/person-{i}", "x": f"@p{i}"},
            "recent_activity": [
                {"kind": "post", "title": f"Notes on pipeline {i}", "url": f"https://e.org/{i}"}
            ],
        }
        for i in range(n)
    ]


def write_all(folder: Path, n: int) -> dict[str, Path]:
    data = rows(n)
    paths = {"yaml": folder / "r.yaml", "json": folder / "r.json", "csv": folder / "r.csv"}
    paths["yaml"].write_text(
        yaml.dump(data, Dumper=getattr(yaml, "CSafeDumper", yaml.SafeDumper), allow_unicode=True),
        encoding="utf-8",
    )
    paths["json"].write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    with paths["csv"].open("w", encoding="utf-8", newline="") as handle:
        out = csv.writer(handle)
        out.writerow(
            [
                *("id", "name", "company", "role", "location", "how_we_met", "interests"),
                *("platforms.linkedin", "platforms.x", "recent_activity"),
            ]
        )
        for r in data:
            act = r["recent_activity"][0]  # type: ignore[index]
            out.writerow(
                [r[k] for k in ("id", "name", "company", "role", "location", "how_we_met")]
                + ["; ".join(r["interests"])]  # type: ignore[arg-type]
                + [r["platforms"]["linkedin"], r["platforms"]["x"]]  # type: ignore[index]
                + [f"{act['kind']}|{act['title']}|{act['url']}"]
            )
    return paths


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--write-to", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.write_to:
        write_all(Path(args.write_to), args.rows)
        return
    with tempfile.TemporaryDirectory() as tmp:
        # Written by a child: a probe forked from a parent holding the generated rows would
        # inherit its peak RSS (ru_maxrss survives fork and exec).
        subprocess.run(
            [sys.executable, __file__, "--rows", str(args.rows), "--write-to", tmp], check=True
        )
        paths = {k: Path(tmp) / f"r.{k}" for k in ("yaml", "json", "csv")}
        print(f"{'format':<6} {'MB on disk':>10} {'contacts':>9} {'seconds':>8} {'peak MB':>8}")
        for kind, path in paths.items():
            out = subprocess.run(
                [sys.executable, "-c", PROBE, str(path)], capture_output=True, text=True, check=True
            ).stdout.split()
            size = path.stat().st_size / 1e6
            print(f"{kind:<6} {size:>10.1f} {out[0]:>9} {out[1]:>8} {out[2]:>8}")


if __name__ == "__main__":
    main()
