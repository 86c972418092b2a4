"""The partition's two inner loops, compiled with numba (see docs/decisions.md).

Kept apart from `partition` so that importing the planner does not import numba (about 0.4 s):
`partition` imports this module on first use. Compiled once and cached on disk
(NUMBA_CACHE_DIR, set to the var directory by the settings).
"""

from __future__ import annotations

import math

import numba
import numpy as np


@numba.njit(cache=True)
def road_cut(table: np.ndarray, lengths: np.ndarray, cost: np.ndarray, lam: float) -> np.ndarray:
    """Cut every road into runs exactly: for each road, the groups along it that minimise the
    summed shop cost (n × k) plus lam for every run (Viterbi over the road's shops).

    Compiled: the ladder runs it about a hundred times per partition."""
    k = cost.shape[1]
    out = np.empty(cost.shape[0], dtype=np.int64)
    best = np.empty(k)  # best[g]: the cheapest cut of the road so far that ends in group g
    stay = np.empty((table.shape[1], k), dtype=np.bool_)  # did a run in g go on at j?
    switch_from = np.empty(table.shape[1], dtype=np.int64)  # else it came from this group
    for r in range(table.shape[0]):
        for g in range(k):
            best[g] = cost[table[r, 0], g]
        for j in range(1, lengths[r]):
            h = np.argmin(best)
            switch = best[h] + lam
            switch_from[j] = h
            shop = table[r, j]
            for g in range(k):
                stay[j, g] = best[g] <= switch
                best[g] = (best[g] if stay[j, g] else switch) + cost[shop, g]
        g = np.argmin(best)
        for j in range(lengths[r] - 1, -1, -1):
            out[table[r, j]] = g
            if j > 0 and not stay[j, g]:
                g = switch_from[j]
    return out


@numba.njit(cache=True)
def least_distance_sum(candidates: np.ndarray, pts: np.ndarray) -> float:
    """The smallest summed distance from one candidate to all points (compiled: O(c × m))."""
    best = np.inf
    for i in range(candidates.shape[0]):
        total = 0.0
        for j in range(pts.shape[0]):
            total += math.hypot(candidates[i, 0] - pts[j, 0], candidates[i, 1] - pts[j, 1])
            if total >= best:
                break
        best = min(best, total)
    return best
