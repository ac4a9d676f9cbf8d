"""Peak memory of the largest data files zyklus accepts (issue 20, docs/reliability.md).

    python bench/memory.py [--areas 10000] [--indicators 20] [--periods 10]

Writes a workspace under bench/.work/memory with data/indicators.csv at the row cap
(10 000 areas × 20 indicators × 10 periods = 2 000 000 rows, long area ids so the file is
as large as rows allow), then runs ``zyklus validate`` and ``zyklus analyse --format json``
as child processes and prints their peak resident memory (``ru_maxrss`` of the children).
"""

from __future__ import annotations

import argparse
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent


def write(root: Path, areas: int, indicators: int, periods: int) -> int:
    (root / "data").mkdir(parents=True, exist_ok=True)
    ids = [f"gebiet-{i:06d}-" + "x" * 40 for i in range(areas)]  # long ids: big file per row
    lines = ["id,name,level,parent", "stadt,Stadt,stadt,"]
    lines += [f"{a},Gebiet {i},bezirk,stadt" for i, a in enumerate(ids[: areas // 100])]
    parents = ids[: areas // 100]
    lines += [
        f"{a},Gebiet {i},ortsteil,{parents[i % len(parents)]}"
        for i, a in enumerate(ids[areas // 100 :])
    ]
    (root / "data" / "areas.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    names = [f"kennzahl-{k:02d}" for k in range(indicators)]
    config = ["name: Speicher", "city: stadt", "indicators:"]
    config += [f"  - {{id: {n}, label: {n}, unit: '%'}}" for n in names]
    config += ["data: {delimiter: ',', decimal: '.'}"]
    (root / "zyklus.yaml").write_text("\n".join(config) + "\n", encoding="utf-8")
    with (root / "data" / "indicators.csv").open("w", encoding="utf-8") as out:
        out.write("area,indicator,period,value\n")
        for year in range(2014, 2014 + periods):
            for n in names:
                out.write(
                    "".join(
                        f"{a},{n},{year}-12-31,{(i * 7 + year) % 997 / 10}\n"
                        for i, a in enumerate(["stadt", *ids[1:]])
                    )
                )
    return (root / "data" / "indicators.csv").stat().st_size


def peak(command: list[str], cwd: Path) -> tuple[float, float, int]:
    """Seconds, peak MiB and exit code of one child (a fresh launcher per measurement)."""
    probe = (
        "import resource,subprocess,sys,time;t=time.perf_counter();"
        "r=subprocess.run(sys.argv[1:],stdout=subprocess.DEVNULL,stderr=subprocess.DEVNULL);"
        "u=resource.getrusage(resource.RUSAGE_CHILDREN);"
        "print(time.perf_counter()-t, u.ru_maxrss, r.returncode)"
    )
    out = subprocess.run(
        [sys.executable, "-c", probe, *command], cwd=cwd, capture_output=True, text=True, check=True
    )
    seconds, kib, code = out.stdout.split()
    return float(seconds), int(kib) / 1024, int(code)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--areas", type=int, default=10_000)
    parser.add_argument("--indicators", type=int, default=20)
    parser.add_argument("--periods", type=int, default=10)
    args = parser.parse_args()
    root = HERE / ".work" / "memory"
    size = write(root, args.areas, args.indicators, args.periods)
    zyklus = str(Path(sys.executable).with_name("zyklus"))
    rows = args.areas * args.indicators * args.periods
    print(f"indicators.csv: {rows:,} rows, {size / 2**20:.0f} MiB")
    for name, command in (
        ("validate", [zyklus, "validate"]),
        ("analyse --format json", [zyklus, "analyse", "--format", "json"]),
    ):
        seconds, mib, code = peak(command, root)
        print(f"| zyklus {name} | {seconds:.1f} s | {mib:.0f} MiB | exit {code} |")


if __name__ == "__main__":
    main()
