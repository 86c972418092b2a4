"""Balanced, compact, road-keeping partition of shops into k groups (划分均衡合理、联系就近就便).

Python + numpy, with two inner loops compiled by numba in `kernels` (imported on first use, so
that loading the planner does not load numba); no Django: importable and benchmarkable on its own.

Algorithm (details and measures in docs/partition.md):

1. Project WGS-84 to local metres (equirectangular about the mean latitude).
2. Order each road's shops along the road's principal axis and cut the road into *stretches*:
   consecutive shops, cut at gaps and so that no stretch is too large to balance with.
3. k-medians over whole stretches (k-means++ seeding, Weiszfeld centre updates) whose
   assignment is balanced by prices: each stretch joins the group with the lowest distance plus
   that group's price, and the prices of over-full groups rise until the sizes are near n/k.
4. Smooth: a short run of one group wedged between runs of another group on the same road (or
   at the road's end) joins its neighbour, which removes road fragments.
5. Balance exactly with single-shop moves along shortest chains of groups (Dijkstra over the
   k groups); a move costs its change in distance to the group centre plus λ for every road
   fragment it adds (a bonus for every one it removes).
6. Refine with the same cost: improving single moves and pairwise swaps that keep every size
   within bounds, re-centring between passes.
7. Steps 3–6 run from a few seeds with a small λ; the cheapest result is the compact reference.
8. The fragment ladder: from that result, λ rises step by step. At each step every road is
   re-cut exactly by dynamic programming (each road's shops in order, the fewest runs worth
   their distance, group sizes held near n/k by prices), then balanced and refined as in 5–6.
   Of all the partitions met on the way, the one with the fewest road fragments whose
   compactness stays within COMPACTNESS_BUDGET of the most compact one wins.
"""

from __future__ import annotations

import csv
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

__all__ = [
    "CsvFormatError",
    "Report",
    "Shop",
    "partition",
    "read_points_csv",
    "report",
    "write_assignment_csv",
]

METRES_PER_DEGREE = 111_195.0  # mean Earth radius 6,371,008.8 m × π / 180
# λ, the distance one road fragment is worth, in shares of a group's cell side: small for the
# compact reference, then the ladder's rising steps (stopped once compactness is over budget).
FRAGMENT_COST = 0.1
FRAGMENT_LADDER = (0.0, 0.3, 0.45, 0.6, 0.75, 0.9, 1.1, 1.35, 1.8, 2.4, 3.2)
# How much mean distance (relative to the most compact partition found) fewer fragments may cost.
COMPACTNESS_BUDGET = 0.04
PRICE_ITERATIONS = 12
IMPROVE_PASSES = 60
UNIT_SHARE = 1 / 6
RESTARTS = 3
SEEDS = 10
SMOOTH_SHARE = 0.25


@dataclass(frozen=True)
class Shop:
    id: str
    lat: float
    lon: float
    road: str
    weight: float = 1.0


@dataclass
class Report:
    balance: float  # largest group size (or weight) over the ideal n/k (or total weight/k)
    compactness_m: float  # mean distance in metres from each shop to its group's medoid
    road_fragments: int  # summed over roads: runs of one group along the road
    roads: int  # distinct roads, the lower bound of road_fragments
    sizes: list[float] = field(default_factory=list)  # per group 0..k-1, count or weight
    seconds: float | None = None


class CsvFormatError(ValueError):
    """A points or assignment file that cannot be read; the message is bilingual."""


# --------------------------------------------------------------------------------------------
# Geometry helpers


def _local_xy(lat: np.ndarray, lon: np.ndarray) -> np.ndarray:
    """Local equirectangular metres; exact enough (<0.1%) over a district."""
    lat0 = float(np.mean(lat)) if len(lat) else 0.0
    lon0 = float(np.mean(lon)) if len(lon) else 0.0
    x = (lon - lon0) * METRES_PER_DEGREE * math.cos(math.radians(lat0))
    y = (lat - lat0) * METRES_PER_DEGREE
    return np.column_stack([x, y])


def _road_index(roads: Sequence[str]) -> tuple[np.ndarray, list[str]]:
    names = sorted(set(roads))
    lookup = {name: i for i, name in enumerate(names)}
    return np.fromiter((lookup[r] for r in roads), dtype=np.int64, count=len(roads)), names


def _road_order(xy: np.ndarray, road_idx: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Shop indices sorted by road, then along the road's principal axis.

    Returns (order, t): t is each shop's position along its road in metres. Ties are broken
    by input index so that the order (and with it the fragment count) is deterministic.
    """
    n = len(xy)
    t = np.zeros(n)
    if n == 0:
        return np.zeros(0, dtype=np.int64), t
    by_road = np.argsort(road_idx, kind="stable")
    bounds = np.flatnonzero(np.diff(road_idx[by_road])) + 1
    for members in np.split(by_road, bounds):
        pts = xy[members]
        centred = pts - pts.mean(axis=0)
        if len(members) > 1:
            # Principal axis = the leading eigenvector of the 2×2 covariance.
            cov = centred.T @ centred
            _, vecs = np.linalg.eigh(cov)
            axis = vecs[:, -1]
            # Fix the sign so the order does not flip with floating-point noise.
            if axis[0] < 0 or (axis[0] == 0 and axis[1] < 0):
                axis = -axis
            t[members] = centred @ axis
    order = np.lexsort((np.arange(n), t, road_idx))
    return order, t


def _runs_total(groups_in_order: np.ndarray, roads_in_order: np.ndarray) -> int:
    if len(groups_in_order) == 0:
        return 0
    change = (np.diff(groups_in_order) != 0) | (np.diff(roads_in_order) != 0)
    return int(1 + np.count_nonzero(change))


def _medoid_mean_distance(pts: np.ndarray) -> float:
    """Mean distance to the medoid; exact for small groups, candidate-restricted for large."""
    m = len(pts)
    if m <= 1:
        return 0.0
    if m <= 2500:
        candidates = pts
    else:
        # The medoid lies near the geometric median; test the 200 shops nearest to it.
        median = _weiszfeld(pts, np.ones(m), pts.mean(axis=0), 30)
        near = np.argsort(np.hypot(*(pts - median).T))[:200]
        candidates = pts[near]
    from .kernels import least_distance_sum

    return least_distance_sum(candidates, pts) / m


def _weiszfeld(pts: np.ndarray, w: np.ndarray, start: np.ndarray, steps: int) -> np.ndarray:
    """Geometric median (minimises the summed distance, the compactness measure)."""
    c = start.astype(float)
    for _ in range(steps):
        d = np.maximum(np.hypot(*(pts - c).T), 1e-6)
        inv = w / d
        c = (pts * inv[:, None]).sum(axis=0) / inv.sum()
    return c


# --------------------------------------------------------------------------------------------
# Measures


def report(
    shops: Sequence[Shop], assignment: Mapping[str, int], *, by_weight: bool = False
) -> Report:
    """Measure an assignment (see docs/partition.md for the definitions)."""
    n = len(shops)
    if n == 0:
        return Report(1.0, 0.0, 0, 0, [], None)
    groups = np.array([int(assignment[s.id]) for s in shops], dtype=np.int64)
    k = int(groups.max()) + 1
    weights = np.array([s.weight if by_weight else 1.0 for s in shops])
    sizes = np.bincount(groups, weights=weights, minlength=k)
    ideal = float(weights.sum()) / k
    xy = _local_xy(np.array([s.lat for s in shops]), np.array([s.lon for s in shops]))
    road_idx, names = _road_index([s.road for s in shops])
    order, _ = _road_order(xy, road_idx)
    fragments = _runs_total(groups[order], road_idx[order])
    return Report(
        balance=float(sizes.max() / ideal) if ideal > 0 else 1.0,
        compactness_m=_compactness(xy, groups, k),
        road_fragments=fragments,
        roads=len(names),
        sizes=[float(s) for s in sizes],
        seconds=None,
    )


# --------------------------------------------------------------------------------------------
# The partition


def _stretches(
    order: np.ndarray,
    t: np.ndarray,
    road_idx: np.ndarray,
    locked_group: np.ndarray,
    cap_size: float,
    cap_len: float,
    gap: float,
    weights: np.ndarray,
) -> list[np.ndarray]:
    """Cut each road's ordered shops into stretches (arrays of shop indices)."""
    units: list[np.ndarray] = []
    roads_o = road_idx[order]
    bounds = np.flatnonzero(np.diff(roads_o)) + 1
    for members in np.split(order, bounds):
        tt = t[members]
        # Cut at gaps, and between shops locked to different groups.
        lk = locked_group[members]
        cuts = set((np.flatnonzero(np.diff(tt) > gap) + 1).tolist())
        last_lock, last_pos = -1, -1
        for pos in np.flatnonzero(lk >= 0):
            if last_lock >= 0 and lk[pos] != last_lock:
                cuts.add(int((last_pos + pos + 1) // 2))
            last_lock, last_pos = int(lk[pos]), int(pos)
        for segment in np.split(members, sorted(cuts)):
            size = float(weights[segment].sum())
            length = float(t[segment[-1]] - t[segment[0]]) if len(segment) else 0.0
            pieces = max(1, math.ceil(size / cap_size), math.ceil(length / cap_len))
            pieces = min(pieces, len(segment))
            if pieces == 1:
                units.append(segment)
                continue
            # Equal-weight pieces along the road.
            cum = np.cumsum(weights[segment])
            edges = np.searchsorted(cum, np.arange(1, pieces) * cum[-1] / pieces)
            edges = np.unique(np.clip(edges, 1, len(segment) - 1))
            units.extend(piece for piece in np.split(segment, edges) if len(piece))
    return units


def _kmeanspp(points: np.ndarray, w: np.ndarray, k: int, rng: np.random.Generator) -> np.ndarray:
    first = rng.choice(len(points), p=w / w.sum())
    centres = [points[first]]
    d2 = ((points - points[first]) ** 2).sum(axis=1)
    for _ in range(1, k):
        p = d2 * w
        idx = rng.choice(len(points), p=p / p.sum()) if p.sum() > 0 else rng.integers(len(points))
        centres.append(points[idx])
        d2 = np.minimum(d2, ((points - points[idx]) ** 2).sum(axis=1))
    return np.array(centres)


def _priced_assign(
    cost: np.ndarray, sizes: np.ndarray, fixed: np.ndarray, ideal: float, iters: int = 60
) -> np.ndarray:
    """Balanced assignment by prices (a Lagrangian of the size constraint): each unit takes
    the group with the lowest cost + price × size; over-full groups' prices rise."""
    n_units, k = cost.shape
    per = cost / np.maximum(sizes, 1e-9)[:, None]  # cost per shop of the unit
    scale = float(np.median(np.abs(per - per.min(axis=1, keepdims=True)))) + 1.0
    price = np.zeros(k)
    free = fixed < 0
    best, best_dev = None, math.inf
    for it in range(iters):
        label = np.where(free, np.argmin(per + price[None, :], axis=1), fixed)
        load = np.bincount(label, weights=sizes, minlength=k)
        dev = float(np.abs(load - ideal).sum())
        if dev < best_dev:
            best, best_dev = label, dev
        if dev <= 1e-9:
            break
        step = scale * 0.5 / (1 + it * 0.1)
        price += step * (load - ideal) / ideal
    return best


def _unit_cost(xy_by_unit: np.ndarray, starts: np.ndarray, centres: np.ndarray) -> np.ndarray:
    """Summed shop-to-centre distance of every unit for every centre (units × k); the shops
    come unit after unit, unit u starting at row starts[u]."""
    d = np.hypot(
        xy_by_unit[:, 0, None] - centres[None, :, 0], xy_by_unit[:, 1, None] - centres[None, :, 1]
    )
    return np.add.reduceat(d, starts, axis=0)


def _group_medians(xy: np.ndarray, groups: np.ndarray, k: int, steps: int) -> np.ndarray:
    """Every group's geometric median at once: Weiszfeld steps from the group means, summed
    per group with bincount (an empty group's centre is left at 0, 0)."""
    count = np.maximum(np.bincount(groups, minlength=k), 1).astype(float)
    c = np.column_stack(
        [np.bincount(groups, weights=xy[:, i], minlength=k) / count for i in (0, 1)]
    )
    for _ in range(steps):
        inv = 1.0 / np.maximum(np.hypot(*(xy - c[groups]).T), 1e-6)
        norm = np.bincount(groups, weights=inv, minlength=k)
        norm[norm == 0] = 1.0
        c = np.column_stack(
            [np.bincount(groups, weights=xy[:, i] * inv, minlength=k) / norm for i in (0, 1)]
        )
    return c


def _compactness(xy: np.ndarray, groups: np.ndarray, k: int) -> float:
    """The compactness measure of report(): mean distance from each shop to its medoid."""
    total = 0.0
    for g in range(k):
        pts = xy[groups == g]
        total += _medoid_mean_distance(pts) * len(pts)
    return total / max(len(xy), 1)


class _Refiner:
    """Shop-level moves that trade distance against road fragments, under the balance bounds.

    The cost of moving shop s from its group a to group b is the change of its distance to the
    group centre plus `lam` metres for every road fragment the move adds (or minus for every
    one it removes); only the shop's two neighbours along its road decide that.
    """

    def __init__(
        self,
        xy: np.ndarray,
        order: np.ndarray,
        road_o: np.ndarray,
        groups: np.ndarray,
        weights: np.ndarray,
        movable: np.ndarray,
        k: int,
        lam: float,
    ) -> None:
        n = len(xy)
        self.xy, self.groups, self.weights, self.movable, self.k = xy, groups, weights, movable, k
        self.lam = lam
        same = road_o[1:] == road_o[:-1]
        self.prev = np.full(n, -1, dtype=np.int64)
        self.next = np.full(n, -1, dtype=np.int64)
        self.prev[order[1:][same]] = order[:-1][same]
        self.next[order[:-1][same]] = order[1:][same]
        self.sizes = np.bincount(groups, weights=weights, minlength=k).astype(float)
        self.update_centres()

    def update_centres(self) -> None:
        self.centres = _group_medians(self.xy, self.groups, self.k, 4)
        # Shop-to-centre distances change only with the centres; cache them.
        self.dist = np.hypot(
            self.xy[:, 0, None] - self.centres[None, :, 0],
            self.xy[:, 1, None] - self.centres[None, :, 1],
        )

    def cost_rows(self, rows: np.ndarray) -> np.ndarray:
        """Move costs of the given shops to every group (inf for their own group and for
        locked shops)."""
        g = self.groups
        d = self.dist[rows]
        ks = np.arange(self.k)[None, :]
        before, after = self.prev[rows], self.next[rows]
        left = np.where(before >= 0, g[np.maximum(before, 0)], -1)[:, None]
        right = np.where(after >= 0, g[np.maximum(after, 0)], -1)[:, None]
        frag = ((left >= 0) & (left != ks)).astype(float) + ((right >= 0) & (right != ks))
        idx = np.arange(len(rows))
        own = g[rows]
        c = (d - d[idx, own][:, None]) + self.lam * (frag - frag[idx, own][:, None])
        c[idx, own] = np.inf
        c[~self.movable[rows]] = np.inf
        return c

    def costs(self) -> np.ndarray:
        """n × k move costs."""
        return self.cost_rows(np.arange(len(self.groups)))

    def best_moves(self, c: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """For each pair (a, b): the cheapest cost and shop to move from a to b."""
        cost = np.full((self.k, self.k), np.inf)
        shop = np.full((self.k, self.k), -1, dtype=np.int64)
        self.update_best_moves(c, cost, shop, range(self.k))
        return cost, shop

    def update_best_moves(
        self, c: np.ndarray, cost: np.ndarray, shop: np.ndarray, groups: Iterable[int]
    ) -> None:
        """Recompute the rows of `cost`/`shop` for the given source groups only."""
        cols = np.arange(self.k)
        for a in groups:
            rows = np.flatnonzero(self.groups == a)
            if len(rows) == 0:
                cost[a], shop[a] = np.inf, -1
                continue
            sub = c[rows]
            pick = np.argmin(sub, axis=0)
            cost[a] = sub[pick, cols]
            shop[a] = rows[pick]

    def move(self, s: int, b: int) -> None:
        w = self.weights[s]
        self.sizes[self.groups[s]] -= w
        self.sizes[b] += w
        self.groups[s] = b

    def _path(self, cost: np.ndarray, start: int, reverse: bool) -> tuple[np.ndarray, np.ndarray]:
        """Dense Dijkstra over groups; hop weight = max(cost, 0) + 1 m."""
        w = np.maximum(cost, 0.0) + 1.0
        if reverse:
            w = w.T
        k = self.k
        dist = np.full(k, np.inf)
        prev = np.full(k, -1, dtype=np.int64)
        done = np.zeros(k, dtype=bool)
        dist[start] = 0.0
        for _ in range(k):
            v = int(np.argmin(np.where(done, np.inf, dist)))
            if not np.isfinite(dist[v]):
                break
            done[v] = True
            alt = dist[v] + w[v]
            better = (alt < dist) & ~done
            dist[better] = alt[better]
            prev[better] = v
        return dist, prev

    def balance(self, lo: float, hi: float, max_steps: int) -> None:
        eps = 1e-9
        stale = True
        for step in range(max_steps):
            over = np.flatnonzero(self.sizes > hi + eps)
            under = np.flatnonzero(self.sizes < lo - eps)
            if len(over) == 0 and len(under) == 0:
                return
            if step % 10 == 9:
                self.update_centres()
                stale = True
            if stale:
                c = self.costs()
                cost, shop = self.best_moves(c)
                stale = False
            reverse = len(over) == 0
            start = int(under[0] if reverse else over[np.argmax(self.sizes[over])])
            dist, prev = self._path(cost, start, reverse)
            # Forward: a receiver with room for the shop that would arrive (an under-full one
            # preferred); reverse: a donor that stays within bounds without the shop that would
            # leave. By weight, when no group has such room, any group not yet at the bound.
            groups_ = np.arange(self.k)
            hop = np.maximum(prev, 0)
            last = shop[groups_, hop] if reverse else shop[hop, groups_]
            w = np.where((prev >= 0) & (last >= 0), self.weights[np.maximum(last, 0)], np.inf)
            if reverse:
                ok = self.sizes - w >= lo - eps
                loose = self.sizes > lo
                pref = self.sizes > hi + eps
            else:
                ok = self.sizes + w <= hi + eps
                loose = self.sizes < hi
                pref = self.sizes < lo - eps
            score = np.where(ok, dist + np.where(pref, 0.0, 1e7), np.inf)
            score[start] = np.inf
            if self._weighted and not np.isfinite(score).any():
                score = np.where(loose, dist + np.where(pref, 0.0, 1e7), np.inf)
                score[start] = np.inf
            target = int(np.argmin(score))
            if not np.isfinite(score[target]):
                return
            path = [target]
            while path[-1] != start:
                path.append(int(prev[path[-1]]))
            path.reverse()
            moved = []
            for a, b in zip(path[:-1], path[1:], strict=True):
                s = int(shop[b, a]) if reverse else int(shop[a, b])
                self.move(s, a if reverse else b)
                moved.append(s)
            # Only the moved shops and their road neighbours changed cost; refresh those rows
            # and the best moves of the groups they touch instead of all n × k.
            around = np.array(moved, dtype=np.int64)
            around = np.concatenate([around, self.prev[around], self.next[around]])
            around = np.unique(around[around >= 0])
            c[around] = self.cost_rows(around)
            touched = np.unique(np.concatenate([np.array(path), self.groups[around]]))
            self.update_best_moves(c, cost, shop, touched.tolist())

    _weighted = False

    def improve(self, lo: float, hi: float, passes: int) -> None:
        """Cost-lowering single moves and pairwise swaps that keep every size within bounds."""
        eps = 1e-9
        for _ in range(passes):
            self.update_centres()
            cost, shop = self.best_moves(self.costs())
            used = np.zeros(self.k, dtype=bool)
            changed = False
            pair = cost + cost.T
            np.fill_diagonal(pair, np.inf)
            # Single moves first (they also fix which groups hold the +1 in count mode).
            for flat in np.argsort(cost, axis=None):
                a, b = divmod(int(flat), self.k)
                if cost[a, b] >= -1e-6:
                    break
                if used[a] or used[b]:
                    continue
                s = int(shop[a, b])
                w = self.weights[s]
                if self.sizes[a] - w >= lo - eps and self.sizes[b] + w <= hi + eps:
                    self.move(s, b)
                    used[a] = used[b] = True
                    changed = True
            for flat in np.argsort(pair, axis=None):
                a, b = divmod(int(flat), self.k)
                if pair[a, b] >= -1e-6:
                    break
                if used[a] or used[b]:
                    continue
                s, t = int(shop[a, b]), int(shop[b, a])
                # Neighbours on one road interact; skip such pairs to keep costs exact.
                if s in (self.prev[t], self.next[t]):
                    continue
                ws, wt = self.weights[s], self.weights[t]
                na, nb = self.sizes[a] - ws + wt, self.sizes[b] + ws - wt
                if lo - eps <= na <= hi + eps and lo - eps <= nb <= hi + eps:
                    self.move(s, b)
                    self.move(t, a)
                    used[a] = used[b] = True
                    changed = True
            if not changed:
                return


def _road_table(order: np.ndarray, road_o: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Roads as rows of shop indices in road order (padded with -1), and their lengths."""
    bounds = np.flatnonzero(np.diff(road_o)) + 1
    roads = np.split(order, bounds)
    lengths = np.array([len(r) for r in roads], dtype=np.int64)
    table = np.full((len(roads), int(lengths.max())), -1, dtype=np.int64)
    for i, members in enumerate(roads):
        table[i, : len(members)] = members
    return table, lengths


def _priced_road_dp(
    table: np.ndarray,
    lengths: np.ndarray,
    dist: np.ndarray,
    weights: np.ndarray,
    forbidden: np.ndarray,
    lam: float,
    ideal: float,
    scale: float,
    tolerance: float,
    price: np.ndarray,
) -> tuple[np.ndarray, np.ndarray]:
    """kernels.road_cut with a price per group added to every shop's cost, the prices raised for
    over-full groups until the summed size excess is within `tolerance` (or the iterations run
    out); returns the most balanced cut and its prices (the next call starts from them)."""
    from .kernels import road_cut

    k = dist.shape[1]
    base = dist + forbidden
    best, best_excess, best_price = None, math.inf, price
    for it in range(PRICE_ITERATIONS):
        groups = road_cut(table, lengths, base + price[None, :] * weights[:, None], lam)
        load = np.bincount(groups, weights=weights, minlength=k)
        excess = float(np.abs(load - ideal).sum())
        if excess < best_excess:
            best, best_excess, best_price = groups, excess, price
        if excess <= tolerance:
            break
        price = price + scale * 0.5 / (1 + it * 0.1) * (load - ideal) / ideal
    return best, best_price


def _smooth(
    order: np.ndarray,
    road_o: np.ndarray,
    groups: np.ndarray,
    movable: np.ndarray,
    weights: np.ndarray,
    xy: np.ndarray,
    max_run: float,
) -> None:
    """Merge short runs into a neighbouring run on the same road when that removes fragments."""
    g_o = groups[order]
    starts = np.flatnonzero(np.r_[True, (np.diff(g_o) != 0) | (np.diff(road_o) != 0)])
    ends = np.r_[starts[1:], len(order)]
    n_runs = len(starts)
    for r in range(n_runs):
        s, e = starts[r], ends[r]
        members = order[s:e]
        if not movable[members].all() or weights[members].sum() > max_run:
            continue
        road = road_o[s]
        left = groups[order[s - 1]] if r > 0 and road_o[s - 1] == road else -1
        right = groups[order[e]] if e < len(order) and road_o[e] == road else -1
        g = groups[members[0]]
        if left >= 0 and left == right and left != g:
            target = left  # A-B-A → A: two fragments fewer
        elif (left < 0) != (right < 0):
            target = max(left, right)  # a run at the road's end joins its only neighbour
            # Only when the shops are no farther from that group than a stretch length.
            own = xy[groups == g].mean(axis=0)
            other = xy[groups == target].mean(axis=0)
            pts = xy[members]
            if np.hypot(*(pts - other).T).mean() > 1.5 * np.hypot(*(pts - own).T).mean() + 50:
                continue
        else:
            continue
        groups[members] = target


def partition(
    shops: Sequence[Shop],
    k: int,
    *,
    by_weight: bool = False,
    locked: Mapping[str, int] | None = None,
    seed: int = 0,
) -> dict[str, int]:
    """Split shops into k balanced, compact groups that keep road stretches together.

    Returns shop id → group 0..k-1. Deterministic for a given input and seed. Sizes land within
    ±1 of n/k (or within ±2% of total weight/k when `by_weight`), unless `locked` shops make that
    impossible. `locked` pins shop ids to groups; the other shops are planned around them.
    """
    n = len(shops)
    if not 1 <= k <= max(n, 1):
        raise ValueError(f"k must be between 1 and the number of shops ({n}), got {k}")
    if n == 0:
        return {}
    ids = [s.id for s in shops]
    if len(set(ids)) != n:
        raise ValueError("duplicate shop ids")
    locked = dict(locked or {})
    index = {sid: i for i, sid in enumerate(ids)}
    locked_group = np.full(n, -1, dtype=np.int64)
    for sid, g in locked.items():
        if sid in index:
            if not 0 <= int(g) < k:
                raise ValueError(f"locked group {g} for {sid} is outside 0..{k - 1}")
            locked_group[index[sid]] = int(g)
    if k == 1:
        return dict.fromkeys(ids, 0)

    weights = np.array([float(s.weight) if by_weight else 1.0 for s in shops])
    if by_weight and (weights <= 0).any():
        weights = np.maximum(weights, 1e-9)
    total = float(weights.sum())
    ideal = total / k
    if by_weight:
        lo, hi = ideal * 0.98, ideal * 1.02
    else:
        lo, hi = float(n // k), float(math.ceil(n / k))

    xy = _local_xy(np.array([s.lat for s in shops]), np.array([s.lon for s in shops]))
    road_idx, _ = _road_index([s.road for s in shops])
    order, t = _road_order(xy, road_idx)
    road_o = road_idx[order]
    span = np.ptp(xy, axis=0) if n > 1 else np.zeros(2)
    area = max(float(span[0] * span[1]), float(max(span.max(), 1.0)) ** 2 * 0.05)
    cell = math.sqrt(area / k)  # the side of one group's share of the area

    units = _stretches(
        order,
        t,
        road_idx,
        locked_group,
        cap_size=max(ideal * UNIT_SHARE, float(weights.max())),
        cap_len=cell * 0.6,
        gap=max(cell * 0.5, 60.0),
        weights=weights,
    )
    unit_size = np.array([weights[u].sum() for u in units])
    unit_xy = np.array([xy[u].mean(axis=0) for u in units])
    unit_fixed = np.array(
        [int(locked_group[u].max()) if (locked_group[u] >= 0).any() else -1 for u in units]
    )

    rng = np.random.default_rng(seed)
    lam = cell * FRAGMENT_COST
    movable = locked_group < 0
    best_groups, best_score = None, math.inf
    # k-medians from SEEDS seeds is cheap; the RESTARTS closest runs are finished (smoothed,
    # balanced, refined) and scored by the cost the refiner lowers, and the cheapest is the
    # compact reference the ladder starts from.
    seeded = []
    for seed_number in range(SEEDS):
        label = _balanced_k_medians(xy, units, unit_xy, unit_size, unit_fixed, k, ideal, rng)
        groups = np.empty(n, dtype=np.int64)
        for u, members in enumerate(units):
            groups[members] = label[u]
        centres = _group_medians(xy, groups, k, 4)
        seeded.append((float(np.hypot(*(xy - centres[groups]).T).sum()), seed_number, groups))
    for _, _, groups in sorted(seeded)[:RESTARTS]:
        # Locked shops keep their group even if their stretch went elsewhere.
        groups[~movable] = locked_group[~movable]
        _smooth(order, road_o, groups, movable, weights, xy, max_run=ideal * SMOOTH_SHARE)
        refiner = _Refiner(xy, order, road_o, groups, weights, movable, k, lam=lam)
        refiner._weighted = by_weight
        refiner.balance(lo, hi, max_steps=4 * n + 100)
        refiner.improve(lo, hi, passes=IMPROVE_PASSES)
        _ensure_nonempty(groups, movable, k)
        refiner.update_centres()
        score = float(refiner.dist[np.arange(n), groups].sum())
        score += lam * _runs_total(groups[order], road_o)
        if score < best_score:
            best_score, best_groups = score, groups
    groups = _fragment_ladder(
        xy, order, road_o, best_groups, weights, locked_group, k, cell, lo, hi, by_weight
    )
    return {sid: int(g) for sid, g in zip(ids, groups.tolist(), strict=True)}


def _fragment_ladder(
    xy: np.ndarray,
    order: np.ndarray,
    road_o: np.ndarray,
    groups: np.ndarray,
    weights: np.ndarray,
    locked_group: np.ndarray,
    k: int,
    cell: float,
    lo: float,
    hi: float,
    by_weight: bool,
) -> np.ndarray:
    """Trade compactness for whole roads, within COMPACTNESS_BUDGET (step 8 of the module doc).

    Raising λ step by step and re-cutting every road exactly at each step walks along the
    trade-off between mean distance and road fragments; which λ is right depends on the layout
    (k against the number of roads, how long the roads are), so the partitions met on the way
    are measured and the best within budget is kept rather than fixing one λ for all layouts.
    """
    n = len(xy)
    movable = locked_group < 0
    table, lengths = _road_table(order, road_o)
    forbidden = np.zeros((n, k))  # a locked shop can only take its own group
    forbidden[~movable] = np.inf
    forbidden[np.flatnonzero(~movable), locked_group[~movable]] = 0.0
    ideal = float(weights.sum()) / k
    # Near enough for the balancing moves to finish: about one shop (or ±1% weight) per group.
    tolerance = k * ((hi - lo) / 2 if by_weight else 1.0)

    def measured(g: np.ndarray) -> tuple[float, int, float]:
        # Outside the size bounds first: balancing can stop short (heavy shops, locks), and a
        # partition that is off balance must not win on fragments.
        sizes = np.bincount(g, weights=weights, minlength=k)
        excess = float(np.maximum(sizes - hi, 0).sum() + np.maximum(lo - sizes, 0).sum())
        return round(excess, 6), _runs_total(g[order], road_o), _compactness(xy, g, k)

    def budget(found: list) -> tuple[float, float]:
        least = min(m[0] for m, _ in found)
        return least, min(m[2] for m, _ in found if m[0] == least) * (1 + COMPACTNESS_BUDGET)

    found = [(measured(groups), groups.copy())]
    refiner = _Refiner(xy, order, road_o, groups, weights, movable, k, lam=0.0)
    refiner._weighted = by_weight
    price = np.zeros(k)
    for share in FRAGMENT_LADDER:
        refiner.lam = share * cell
        refiner.update_centres()
        cut, price = _priced_road_dp(
            table,
            lengths,
            refiner.dist,
            weights,
            forbidden,
            refiner.lam,
            ideal,
            cell,
            tolerance,
            price,
        )
        groups[:] = cut
        refiner.sizes = np.bincount(groups, weights=weights, minlength=k).astype(float)
        refiner.balance(lo, hi, max_steps=4 * n + 100)
        refiner.improve(lo, hi, passes=IMPROVE_PASSES)
        _ensure_nonempty(groups, movable, k)
        found.append((measured(groups), groups.copy()))
        # Higher λ only pulls further from compact: stop at the first step over budget.
        if found[-1][0][2] > budget(found)[1]:
            break
    least, limit = budget(found)
    within = [(m, g) for m, g in found if m[0] == least and m[2] <= limit]
    return min(within, key=lambda f: f[0][1:])[1]


def _balanced_k_medians(
    xy: np.ndarray,
    units: list[np.ndarray],
    unit_xy: np.ndarray,
    unit_size: np.ndarray,
    unit_fixed: np.ndarray,
    k: int,
    ideal: float,
    rng: np.random.Generator,
) -> np.ndarray:
    """k-medians over whole stretches with priced (near-balanced) assignment; unit labels."""
    centres = _kmeanspp(unit_xy, unit_size, k, rng)
    by_unit = np.concatenate(units)
    lengths = np.array([len(u) for u in units])
    starts = np.r_[0, np.cumsum(lengths)[:-1]]
    owner = np.repeat(np.arange(len(units)), lengths)
    xy_by_unit = xy[by_unit]
    label = None
    shop_group = np.empty(len(xy), dtype=np.int64)
    for _ in range(20):
        new = _priced_assign(_unit_cost(xy_by_unit, starts, centres), unit_size, unit_fixed, ideal)
        if label is not None and np.array_equal(new, label):
            break
        label = new
        shop_group[by_unit] = label[owner]
        present = np.bincount(shop_group, minlength=k) > 0
        centres = np.where(present[:, None], _group_medians(xy, shop_group, k, 3), centres)
    return label


def _ensure_nonempty(groups: np.ndarray, movable: np.ndarray, k: int) -> None:
    counts = np.bincount(groups, minlength=k)
    for g in np.flatnonzero(counts == 0):
        donor = int(np.argmax(np.where(np.arange(k) == g, -1, counts)))
        candidates = np.flatnonzero((groups == donor) & movable)
        if len(candidates):
            groups[candidates[0]] = g
            counts[donor] -= 1
            counts[g] += 1


# --------------------------------------------------------------------------------------------
# CSV IO


def read_points_csv(path: str | Path) -> list[Shop]:
    """Read POINTS.csv (id,lat,lon,road[,weight]; UTF-8 with or without BOM)."""
    try:
        with open(path, encoding="utf-8-sig", newline="") as fh:
            reader = csv.DictReader(fh)
            columns = [c.strip() for c in (reader.fieldnames or [])]
            missing = [c for c in ("id", "lat", "lon", "road") if c not in columns]
            if missing:
                raise CsvFormatError(f"缺少列 / missing columns: {', '.join(missing)}")
            reader.fieldnames = columns
            has_weight = "weight" in columns
            shops: list[Shop] = []
            seen: set[str] = set()
            for line, row in enumerate(reader, start=2):
                sid = (row.get("id") or "").strip()
                if not sid:
                    raise CsvFormatError(f"第 {line} 行缺少 id / line {line}: empty id")
                if sid in seen:
                    raise CsvFormatError(f"重复的 id / duplicate id: {sid} (line {line})")
                seen.add(sid)
                try:
                    lat = float(row.get("lat") or "")
                    lon = float(row.get("lon") or "")
                except ValueError:
                    raise CsvFormatError(
                        f"第 {line} 行坐标不是数字 / line {line}: lat/lon is not a number "
                        f"({row.get('lat')!r}, {row.get('lon')!r})"
                    ) from None
                if (
                    not (math.isfinite(lat) and math.isfinite(lon))
                    or abs(lat) > 90
                    or abs(lon) > 180
                ):
                    raise CsvFormatError(
                        f"第 {line} 行坐标超出范围 / line {line}: lat/lon out of range"
                    )
                weight = 1.0
                if has_weight and (row.get("weight") or "").strip():
                    try:
                        weight = float(row["weight"])
                    except ValueError:
                        raise CsvFormatError(
                            f"第 {line} 行权重不是数字 / line {line}: weight is not a number "
                            f"({row['weight']!r})"
                        ) from None
                    if not math.isfinite(weight) or weight < 0:
                        raise CsvFormatError(
                            f"第 {line} 行权重无效 / line {line}: weight must be ≥ 0"
                        )
                shops.append(Shop(sid, lat, lon, (row.get("road") or "").strip(), weight))
            return shops
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        raise CsvFormatError(f"无法读取文件 / cannot read file: {path} ({exc})") from exc


def read_assignment_csv(path: str | Path) -> dict[str, int]:
    """Read ASSIGN.csv (id,group)."""
    try:
        with open(path, encoding="utf-8-sig", newline="") as fh:
            reader = csv.DictReader(fh)
            columns = [c.strip() for c in (reader.fieldnames or [])]
            missing = [c for c in ("id", "group") if c not in columns]
            if missing:
                raise CsvFormatError(f"缺少列 / missing columns: {', '.join(missing)}")
            reader.fieldnames = columns
            out: dict[str, int] = {}
            for line, row in enumerate(reader, start=2):
                try:
                    out[(row.get("id") or "").strip()] = int(row.get("group") or "")
                except ValueError:
                    raise CsvFormatError(
                        f"第 {line} 行分组不是整数 / line {line}: group is not an integer"
                    ) from None
            return out
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        raise CsvFormatError(f"无法读取文件 / cannot read file: {path} ({exc})") from exc


def write_assignment_csv(path: str | Path, assignment: Mapping[str, int]) -> None:
    """Write ASSIGN.csv: id,group, in the given order."""
    with open(path, "w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(["id", "group"])
        for sid, g in assignment.items():
            writer.writerow([sid, int(g)])
