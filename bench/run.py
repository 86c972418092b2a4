"""Benchmarks of the foundation: coordinate conversion, point-in-grid, scoped queries.

Run with `make bench`. Uses a throw-away SQLite database under var/bench/ (or DATABASE_URL).
Results are printed; docs/benchmarks.md records them and how they were measured.
"""

import os
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
os.environ.setdefault("JIEQU_VAR_DIR", str(ROOT / "var" / "bench"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jiequ.config.settings")
sys.path.insert(0, str(ROOT / "src"))

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402

from jiequ.core import coords  # noqa: E402


def timed(label, fn, repeat=5, per=1):
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    best, median = min(times), statistics.median(times)
    unit = f"  ({per / best:,.0f}/s)" if per > 1 else ""
    print(f"{label:<58} best {best * 1000:9.2f} ms  median {median * 1000:9.2f} ms{unit}")


def main():
    db = settings.DATABASES["default"]
    if db["ENGINE"].endswith("sqlite3"):
        Path(db["NAME"]).unlink(missing_ok=True)
    call_command("migrate", verbosity=0)
    from jiequ.accounts.models import User
    from jiequ.areas.models import Building, Region, RegionLevel
    from jiequ.areas.services import find_grid
    from jiequ.demo.builder import build_demo

    if not Region.objects.exists():
        start = time.perf_counter()
        build_demo()
        print(
            f"{'jiequ demo (build the demo subdistrict)':<58} {time.perf_counter() - start:.2f} s"
        )

    rng = random.Random(1)
    points = [(rng.uniform(31.231, 31.244), rng.uniform(121.451, 121.467)) for _ in range(1000)]
    timed(
        "coords: WGS-84 → GCJ-02 → WGS-84 (iterative), 10,000 points",
        lambda: [coords.gcj02_to_wgs84(*coords.wgs84_to_gcj02(a, b)) for a, b in points * 10],
        per=10_000,
    )
    timed(
        "find_grid: 1,000 random points in the subdistrict",
        lambda: [find_grid(*p) for p in points],
        per=1000,
    )

    grids = list(Region.objects.filter(level=RegionLevel.GRID, path__contains="310106011"))
    target = 20_000
    existing = Building.objects.count()
    if existing < target:
        batch = []
        for i in range(target - existing):
            grid = grids[i % len(grids)]
            lat, lon = grid.min_lat + 0.0001, grid.min_lon + 0.0001
            batch.append(
                Building(
                    name=f"压测楼{i}",
                    address="压测",
                    floors=5,
                    lat=round(lat, 6),
                    lon=round(lon, 6),
                    region=grid,
                    subdistrict=grid.parent.parent,
                )
            )
        Building.objects.bulk_create(batch, batch_size=2000)
    staff = User.objects.get(username="staff")
    grid_user = User.objects.get(username="grid")
    timed(
        f"scoped count, staff (subdistrict), {target:,} buildings",
        lambda: Building.objects.restrict(staff).count(),
    )
    timed(
        f"scoped count, grid worker (one grid), {target:,} buildings",
        lambda: Building.objects.restrict(grid_user).count(),
    )
    timed(
        "scoped first page (25 rows) with grid and road, staff",
        lambda: list(Building.objects.restrict(staff).select_related("region", "road")[:25]),
    )
    print(f"database: {connection.vendor}")


if __name__ == "__main__":
    main()
