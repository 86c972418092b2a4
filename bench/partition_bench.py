"""Partition benchmark: Jiequ vs PySAL spopt, k-means-constrained and scikit-learn KMeans.

    .venv/bin/python bench/partition_bench.py            # the four cases, all methods
    .venv/bin/python bench/partition_bench.py --city     # 300,000 shops / 200 subdistricts
    .venv/bin/python bench/partition_bench.py --unseen   # 28 layouts not tuned on, no spopt

Each method runs in its own subprocess (peak RSS from ru_maxrss, a timeout per run); the parent
measures every assignment with the same `report()` (docs/partition.md). Layouts come from
bench/partition_data.py (deterministic).
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from multiprocessing import Pool
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

METHODS = ["jiequ", "spopt-maxp", "kmeans-constrained", "sklearn-kmeans"]
TIMEOUT = {"spopt-maxp": 120, "kmeans-constrained": 300, "sklearn-kmeans": 120, "jiequ": 120}


def _xy(shops):  # noqa: ANN001, ANN202
    import numpy as np

    from jiequ.coverage.partition import _local_xy

    return _local_xy(np.array([s.lat for s in shops]), np.array([s.lon for s in shops]))


def worker(method: str, case: str) -> None:
    """Run one method on one case; print {"labels": [...], "seconds": t, "rss_mb": m}."""
    import resource

    make, k = _case(case)
    shops = make()
    n = len(shops)
    warmup = 0.0
    if method == "jiequ":
        from jiequ.coverage.partition import partition

        # numba loads its compiled loops on the first call of a process (about 0.4 s, cached
        # on disk after the first run ever); timed apart, like the peers' imports.
        start = time.perf_counter()
        partition(shops[:30], 2)
        warmup = time.perf_counter() - start
    start = time.perf_counter()
    if method == "jiequ":
        a = partition(shops, k)
        labels = [a[s.id] for s in shops]
    elif method == "sklearn-kmeans":
        from sklearn.cluster import KMeans

        labels = KMeans(k, n_init=10, random_state=0).fit_predict(_xy(shops)).tolist()
    elif method == "kmeans-constrained":
        from k_means_constrained import KMeansConstrained

        model = KMeansConstrained(k, size_min=n // k, size_max=-(-n // k), random_state=0)
        labels = model.fit_predict(_xy(shops)).tolist()
    elif method == "spopt-maxp":
        import geopandas as gpd
        import numpy as np
        from libpysal.weights import KNN
        from spopt.region import MaxPHeuristic

        xy = _xy(shops)
        gdf = gpd.GeoDataFrame(
            {"x": xy[:, 0], "y": xy[:, 1], "count": np.ones(n)},
            geometry=gpd.points_from_xy(xy[:, 0], xy[:, 1]),
        )
        from libpysal.weights import W
        from scipy.sparse.csgraph import minimum_spanning_tree
        from scipy.spatial import distance_matrix

        # KNN alone leaves clustered layouts disconnected (spopt then finds no feasible
        # component); adding the minimum spanning tree's edges makes the graph connected.
        knn = KNN.from_array(xy, k=8)
        neighbours = {i: set(knn.neighbors[i]) for i in range(n)}
        mst = minimum_spanning_tree(distance_matrix(xy, xy)).tocoo()
        for a, b in zip(mst.row.tolist(), mst.col.tolist(), strict=True):
            neighbours[a].add(b)
            neighbours[b].add(a)
        w = W({i: sorted(v) for i, v in neighbours.items()}, silence_warnings=True)
        # Floor n//k per region (spopt has floors, no ceilings).
        model = MaxPHeuristic(gdf, w, ["x", "y"], "count", n // k, top_n=2)
        model.solve()
        _, labels = np.unique(np.asarray(model.labels_), return_inverse=True)
        labels = labels.tolist()
    else:
        raise SystemExit(f"unknown method {method}")
    seconds = time.perf_counter() - start
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    out = {"labels": [int(x) for x in labels], "seconds": seconds, "rss_mb": rss_mb}
    print(json.dumps(out | {"warmup": warmup}))


def _case(name: str):  # noqa: ANN202
    from partition_data import CASES, UNSEEN

    return {**CASES, **UNSEEN}[name]


def run_case(case: str, methods: list[str] = METHODS) -> list[dict]:
    from jiequ.coverage.partition import report

    make, k = _case(case)
    shops = make()
    n = len(shops)
    rows = []
    for method in methods:
        cmd = [sys.executable, __file__, "--worker", method, case]
        try:
            proc = subprocess.run(cmd, capture_output=True, text=True, timeout=TIMEOUT[method])
        except subprocess.TimeoutExpired:
            rows.append(
                {"case": case, "method": method, "status": f"timed out ({TIMEOUT[method]} s)"}
            )
            continue
        if proc.returncode != 0:
            tail = proc.stderr.strip().splitlines()[-1:] or ["?"]
            rows.append({"case": case, "method": method, "status": f"failed: {tail[0][:80]}"})
            continue
        out = json.loads(proc.stdout.strip().splitlines()[-1])
        r = report(shops, {s.id: g for s, g in zip(shops, out["labels"], strict=True)})
        rows.append(
            {
                "case": case,
                "method": method,
                "status": "ok",
                "groups": len(r.sizes),
                "min": min(r.sizes),
                "max": max(r.sizes),
                "ideal": n / k,
                "balance": r.balance,
                "compactness": r.compactness_m,
                "fragments": r.road_fragments,
                "roads": r.roads,
                "seconds": out["seconds"],
                "warmup": out["warmup"],
                "rss_mb": out["rss_mb"],
            }
        )
        print(json.dumps(rows[-1]), file=sys.stderr, flush=True)
    return rows


def table(rows: list[dict]) -> str:
    head = (
        "| case | method | groups | sizes min–max (ideal) | balance | compactness m | "
        "road fragments / roads | time s | peak RSS MB | time × Jiequ | fragments vs Jiequ | "
        "compactness vs Jiequ |\n|" + "---|" * 12
    )
    lines = [head]
    by_case: dict[str, dict] = {}
    for r in rows:
        if r["method"] == "jiequ" and r["status"] == "ok":
            by_case[r["case"]] = r
    for r in rows:
        if r["status"] != "ok":
            lines.append(f"| {r['case']} | {r['method']} | {r['status']} |" + " |" * 10)
            continue
        j = by_case.get(r["case"])
        ratio = f"{r['seconds'] / j['seconds']:.1f}×" if j else "–"
        frag = f"{r['fragments'] - j['fragments']:+d}" if j else "–"
        comp = f"{100 * (r['compactness'] / j['compactness'] - 1):+.1f}%" if j else "–"
        lines.append(
            f"| {r['case']} | {r['method']} | {r['groups']} | {r['min']:g}–{r['max']:g} "
            f"({r['ideal']:.1f}) | {r['balance']:.3f} | {r['compactness']:.1f} | "
            f"{r['fragments']} / {r['roads']} | {r['seconds']:.2f} | {r['rss_mb']:.0f} | "
            f"{ratio} | {frag} | {comp} |"
        )
    warm = [r["warmup"] for r in by_case.values()]
    if warm:
        lines.append(
            f"\nJiequ's first call in each process (numba loading its compiled loops, not in the "
            f"times above): {min(warm):.2f}–{max(warm):.2f} s."
        )
    return "\n".join(lines)


def unseen_table(rows: list[dict]) -> str:
    """One line per layout: Jiequ against the best peer on fragments and on compactness."""
    by_case: dict[str, dict[str, dict]] = {}
    for r in rows:
        by_case.setdefault(r["case"], {})[r["method"]] = r
    lines = [
        "| layout | Jiequ fragments | KMeans (unbalanced) | k-means-constrained | "
        "Jiequ compactness m | k-m-c compactness m | Jiequ vs k-m-c | Jiequ sizes | Jiequ s |",
        "|" + "---|" * 9,
    ]
    wins = within = 0
    for case, m in by_case.items():
        j, km, kmc = m["jiequ"], m["sklearn-kmeans"], m["kmeans-constrained"]
        if not all(x["status"] == "ok" for x in (j, km, kmc)):
            lines.append(f"| {case} | " + " | ".join(x["status"] for x in (j, km, kmc)) + " |")
            continue
        fewer = j["fragments"] < min(km["fragments"], kmc["fragments"])
        ratio = j["compactness"] / kmc["compactness"] - 1
        wins += fewer
        within += ratio <= 0.05
        frag = f"**{j['fragments']}**" if not fewer else str(j["fragments"])
        lines.append(
            f"| {case} | {frag} | {km['fragments']} | {kmc['fragments']} | "
            f"{j['compactness']:.1f} | {kmc['compactness']:.1f} | {100 * ratio:+.1f}% | "
            f"{j['min']:g}–{j['max']:g} | {j['seconds']:.2f} |"
        )
    lines.append(
        f"\nFewer fragments than both peers: {wins}/{len(by_case)}; compactness within 5% of "
        f"k-means-constrained: {within}/{len(by_case)} (bold: not fewer)."
    )
    return "\n".join(lines)


def _city_one(args: tuple[int, list, int]) -> tuple[int, float, float, bool]:
    from jiequ.coverage.partition import partition

    i, shops, k = args
    start = time.perf_counter()
    a = partition(shops, k)
    sizes: dict[int, int] = {}
    for g in a.values():
        sizes[g] = sizes.get(g, 0) + 1
    ok = len(sizes) == k and all(abs(s - len(shops) / k) < 1 for s in sizes.values())
    return i, time.perf_counter() - start, len(shops), ok


def city(workers: int = 2) -> str:
    from partition_data import city as make_city

    t0 = time.perf_counter()
    jobs = [(i, shops, k) for i, (shops, k) in enumerate(make_city())]
    gen = time.perf_counter() - t0
    start = time.perf_counter()
    with Pool(workers) as pool:
        results = pool.map(_city_one, jobs, chunksize=4)
    wall = time.perf_counter() - start
    total = sum(r[2] for r in results)
    slowest = max(r[1] for r in results)
    balanced = sum(r[3] for r in results)
    return (
        f"city: {total:,} shops in {len(results)} subdistricts, {workers} workers: "
        f"{wall:.1f} s wall (generation {gen:.1f} s not counted), slowest subdistrict "
        f"{slowest:.2f} s, {balanced}/{len(results)} within ±1 of the ideal"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--worker", nargs=2, metavar=("METHOD", "CASE"))
    parser.add_argument("--city", action="store_true")
    parser.add_argument("--unseen", action="store_true", help="the UNSEEN layouts, no spopt")
    parser.add_argument("--case", action="append", help="run only this case (repeatable)")
    args = parser.parse_args()
    if args.worker:
        worker(*args.worker)
        return
    if args.city:
        print(city())
        return
    from partition_data import CASES, UNSEEN

    if args.unseen:
        methods = ["jiequ", "kmeans-constrained", "sklearn-kmeans"]
        rows = [r for case in args.case or list(UNSEEN) for r in run_case(case, methods)]
        print(unseen_table(rows))
        return
    rows = []
    for case in args.case or list(CASES):
        rows.extend(run_case(case))
    print(table(rows))


if __name__ == "__main__":
    main()
