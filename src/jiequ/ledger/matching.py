"""Link a subdistrict's ledger of market entities to a department registry extract.

Plain Python and numpy (no Django) so it can be imported and benchmarked on its own.

How it works
------------
1. Every record is normalised once (normalise.py): core trade name, stem and branch marker of
   the ledger name, of the shop sign and of the registered name; the pinyin of the core as a
   "sound key" (one code character per syllable, so homophones are equal); the address as
   (road, number); the credit code. Strings are interned to integers so that comparisons run
   in numpy.
2. Exact credit-code equality is a match with score 1.0.
3. Blocking, in two passes over an inverted index of the registry. Pass 1 looks up the sound
   key of the core name, on the same road first. Ledger records that found no candidate
   scoring RESOLVED_SCORE get pass 2: syllable bigrams of the core name (on the same road),
   and the building (road + number). Keys held by more registry records than a cap are skipped:
   they separate nothing and would make the join quadratic. The join runs in numpy.
4. Scoring, vectorised over the candidate pairs (string metrics from rapidfuzz on the distinct
   name pairs only): name similarity (equal core, homophone, containment, Indel ratio of
   characters and of syllables, a tenth from the stem with its industry words) for the ledger
   name and the sign, combined with address agreement. The address weighs more when the core
   is shared by several registry records (a chain), so branches are told apart by where they
   are. Branch markers or industries that disagree, and credit codes present on both sides
   that differ, count against.
5. Assignment: greedy one-to-one by descending score; a pair whose ledger or registry record
   has a rival candidate within AMBIGUITY_MARGIN goes to review instead of being matched.
   Unmatched ledger records keep up to MAX_REVIEWS candidates above the review threshold
   whose registry record was not matched elsewhere.
"""

from __future__ import annotations

import csv
import gc
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from rapidfuzz import process
from rapidfuzz.distance import Indel, Levenshtein

from .normalise import (
    NameParts,
    branch_key,
    credit_code_valid,
    normalise_credit_code,
    road_and_number,
    sound_key,
    split_name,
)

# A pair at or above this score is a match: the same core name (or a homophone) at the same
# building scores about 0.95–1.0; a core name that is unique in the registry, at an address
# that could not be read, about 0.85.
MATCH_THRESHOLD = 0.80
# Pairs between the two thresholds go to a person; below it they are not output. A same-name
# candidate on another road or at another number scores about 0.6–0.7.
REVIEW_THRESHOLD = 0.55
# A best candidate this close to a rival is ambiguous and goes to review rather than match.
AMBIGUITY_MARGIN = 0.04
# Review candidates kept per unmatched ledger record.
MAX_REVIEWS = 3
# Ledger records whose pass-1 (same sound key) candidates reach this skip pass 2.
RESOLVED_SCORE = 0.9

# Registry records a blocking key may hold before the ledger side skips it.
_CAP_NAME = 200  # the same core name (a chain's branches share it)
_CAP_NAME_ANY_ROAD = 30  # the same core name on another road: only for rare names
_CAP_WIDE = 60  # bigrams and buildings
# Ledger records scored per numpy batch; bounds the memory of the candidate join.
_CHUNK = 50_000


@dataclass(frozen=True, slots=True)
class LedgerRecord:
    """A row of the subdistrict ledger; name or credit code may be empty."""

    id: str
    name: str
    sign_name: str
    credit_code: str
    address: str


@dataclass(frozen=True, slots=True)
class RegistryRecord:
    """A row of the department registry extract (market supervision)."""

    id: str
    name: str
    credit_code: str
    address: str


@dataclass(frozen=True, slots=True)
class Pair:
    """A proposed link; decision is "match" (confident, one-to-one) or "review"."""

    ledger_id: str
    registry_id: str
    score: float
    decision: str


class CsvFormatError(ValueError):
    """A CSV file that cannot be read as the expected table (message is Chinese first)."""


# --- preparation ---------------------------------------------------------------------------------


class _Interner(dict[str, int]):
    """Strings to small integers, so comparisons run in numpy; "" is always -1."""

    def id(self, text: str) -> int:
        if not text:
            return -1
        found = self.get(text)
        if found is None:
            found = self[text] = len(self)
        return found


@dataclass(slots=True)
class _Names:
    """One name column (registered name or shop sign) as interned string ids, -1 if empty."""

    core: np.ndarray  # core trade name
    sound: np.ndarray  # sound key of the core
    stem: np.ndarray  # name with its industry words kept
    stem_sound: np.ndarray  # sound key of the stem
    industry: np.ndarray  # what the stem adds to the core ("餐饮管理")


@dataclass(slots=True)
class _Side:
    """Normalised columns of one side."""

    n: int
    names: list[_Names]  # registry: [name]; ledger: [name, sign]
    branch: np.ndarray
    road: np.ndarray
    number: np.ndarray
    code: np.ndarray
    code_valid: np.ndarray


class _Prep:
    """Normalises both sides with shared interners and memo tables (values repeat a lot:
    ledger names are often the registered name verbatim)."""

    def __init__(self, roads: tuple[str, ...]) -> None:
        self.roads = roads
        self.strings = _Interner()
        self.keys = _Interner()
        self.parts: dict[str, NameParts] = {}
        self.sounds: dict[str, str] = {}
        self.addresses: dict[str, tuple[str, str, str]] = {}

    def _ids(self, values: Iterable[str], n: int) -> np.ndarray:
        return np.fromiter(map(self.strings.id, values), dtype=np.int64, count=n)

    def names(self, values: Sequence[str]) -> tuple[_Names, list[NameParts], list[str]]:
        n, parts, sounds = len(values), self.parts, self.sounds
        split = [parts.get(v) or parts.setdefault(v, split_name(v)) for v in values]
        cores = [p[0] for p in split]
        sound = [sounds.get(c) or sounds.setdefault(c, sound_key(c)) for c in cores]
        stems = [p[2] for p in split]
        stem_sound = [sounds.get(c) or sounds.setdefault(c, sound_key(c)) for c in stems]
        industry = [st[len(c) :] if c and st.startswith(c) else "" for c, _, st in split]
        col = _Names(
            self._ids(cores, n), self._ids(sound, n), self._ids(stems, n),
            self._ids(stem_sound, n), self._ids(industry, n),
        )  # fmt: skip
        return col, split, sound

    def side(
        self,
        names: Sequence[str],
        signs: Sequence[str] | None,
        addresses: Sequence[str],
        codes: Sequence[str],
    ) -> tuple[_Side, list[list[str]], list[tuple[str, str]]]:
        """The side's columns, each record's sound keys and its (road, number)."""
        n = len(names)
        cols = [self.names(names)] + ([self.names(signs)] if signs is not None else [])
        memo, roads = self.addresses, self.roads
        parsed = [memo.get(a) or memo.setdefault(a, road_and_number(a, roads)) for a in addresses]
        code = [normalise_credit_code(c) for c in codes]
        branches = []
        for i in range(n):
            b = next((split[i][1] for _, split, _ in cols if split[i][1]), "")
            branches.append(branch_key(b) if b else "")
        side = _Side(
            n=n,
            names=[c for c, _, _ in cols],
            branch=self._ids(branches, n),
            road=self._ids((a[0] for a in parsed), n),
            number=self._ids((a[1] for a in parsed), n),
            code=self._ids(code, n),
            code_valid=np.fromiter(map(credit_code_valid, code), dtype=bool, count=n),
        )
        sounds = [[s[i] for _, _, s in cols if s[i]] for i in range(n)]
        return side, sounds, [(a[0], a[1]) for a in parsed]


def _bigrams(sound: str) -> set[str]:
    return {sound[i : i + 2] for i in range(len(sound) - 1)} if len(sound) > 1 else {sound}


def _registry_postings(
    keys: _Interner, sounds: list[list[str]], places: list[tuple[str, str]]
) -> tuple[np.ndarray, np.ndarray]:
    """(key id, record) postings of the registry. Key kinds: P sound key, R sound key on a
    road, U sound key with no road, G bigram on a road, V bigram with no road, H bigram
    anywhere, A building."""
    flat_k: list[int] = []
    flat_r: list[int] = []
    kid = keys.id
    for i, (ss, (road, number)) in enumerate(zip(sounds, places, strict=True)):
        ks = set()
        for s in ss:
            ks.add("P" + s)
            grams = _bigrams(s)
            ks.update("H" + g for g in grams)
            if road:
                ks.add("R" + s + "@" + road)
                ks.update("G" + g + "@" + road for g in grams)
            else:
                ks.add("U" + s)
                ks.update("V" + g for g in grams)
        if road and number:
            ks.add("A" + road + "#" + number)
        flat_k.extend(map(kid, ks))
        flat_r.extend([i] * len(ks))
    return np.array(flat_k, dtype=np.int64), np.array(flat_r, dtype=np.int64)


def _ledger_postings(
    keys: _Interner, sounds: list[list[str]], places: list[tuple[str, str]]
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """(key id, record, cap, pass) postings of the ledger's look-ups."""
    out_k: list[int] = []
    out_r: list[int] = []
    out_c: list[int] = []
    out_p: list[int] = []
    kid = keys.id

    def add(i: int, key: str, cap: int, pass_: int) -> None:
        out_k.append(kid(key))
        out_r.append(i)
        out_c.append(cap)
        out_p.append(pass_)

    for i, (ss, (road, number)) in enumerate(zip(sounds, places, strict=True)):
        grams: set[str] = set()
        for s in dict.fromkeys(ss):
            grams |= _bigrams(s)
            if road:
                add(i, "R" + s + "@" + road, _CAP_NAME, 1)
                add(i, "U" + s, _CAP_NAME, 1)
                add(i, "P" + s, _CAP_NAME_ANY_ROAD, 1)
            else:
                add(i, "P" + s, _CAP_NAME, 1)
        for g in grams:
            if road:
                add(i, "G" + g + "@" + road, _CAP_WIDE, 2)
                add(i, "V" + g, _CAP_WIDE, 2)
            else:
                add(i, "H" + g, _CAP_WIDE, 2)
        if road and number:
            add(i, "A" + road + "#" + number, _CAP_WIDE, 2)
    arr = lambda x: np.array(x, dtype=np.int64)  # noqa: E731
    return arr(out_k), arr(out_r), arr(out_c), arr(out_p)


class _Index:
    """The registry postings sorted by key, for a numpy join."""

    def __init__(self, r_keys: np.ndarray, r_recs: np.ndarray, n_keys: int) -> None:
        self.df = np.bincount(r_keys, minlength=n_keys)
        self.start = np.zeros(n_keys + 1, dtype=np.int64)
        np.cumsum(self.df, out=self.start[1:])
        self.recs = r_recs[np.argsort(r_keys, kind="stable")]

    def join(
        self, l_keys: np.ndarray, l_recs: np.ndarray, caps: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray]:
        """(ledger, registry) index pairs sharing a key held by at most `cap` records."""
        counts = self.df[l_keys]
        keep = (counts > 0) & (counts <= caps)
        l_keys, l_recs, counts = l_keys[keep], l_recs[keep], counts[keep]
        total = int(counts.sum())
        li = np.repeat(l_recs, counts)
        # Each posting's range in the sorted registry postings, expanded position by position.
        offs = np.repeat(self.start[l_keys] - (np.cumsum(counts) - counts), counts)
        ri = self.recs[offs + np.arange(total, dtype=np.int64)]
        return li, ri


# --- scoring -------------------------------------------------------------------------------------


_LEADING_DIGITS = re.compile(r"\d+")


class _Scorer:
    def __init__(self, prep: _Prep, lg: _Side, rg: _Side) -> None:
        self.lg, self.rg = lg, rg
        self.texts = list(prep.strings)  # id → string
        self.length = np.fromiter(map(len, self.texts), dtype=np.float64, count=len(self.texts))
        self.n_strings = max(len(self.texts), 1)
        # Sound key of each core string, by string id.
        self.sound_of = np.full(self.n_strings, -1, dtype=np.int64)
        for col in (*lg.names, *rg.names):
            has = col.core >= 0
            self.sound_of[col.core[has]] = col.sound[has]
        # Chain size: registry records sharing the core's sound key.
        reg = rg.names[0]
        has = reg.sound >= 0
        counts = np.bincount(reg.sound[has], minlength=self.n_strings)
        self.chain = np.ones(rg.n, dtype=np.int64)
        self.chain[has] = counts[reg.sound[has]]
        # Registry records sharing the sound of the full name (stem) and the branch: a full
        # name that one record holds identifies it even where the addresses disagree (the
        # ledger has where the business operates, the registry its registered address).
        full = reg.stem_sound >= 0
        combo = reg.stem_sound[full] * (self.n_strings + 1) + rg.branch[full] + 1
        _, inv, counts = np.unique(combo, return_inverse=True, return_counts=True)
        self.full_name_df = np.zeros(rg.n, dtype=np.int64)
        self.full_name_df[full] = counts[inv]
        # House numbers as integers ("1025弄5" → 1025) for "near number" checks.
        self.number_value = np.full(self.n_strings, -1, dtype=np.int64)
        for col in (lg.number, rg.number):
            for i in np.unique(col[col >= 0]).tolist():
                digits = _LEADING_DIGITS.match(self.texts[i])
                self.number_value[i] = int(digits.group()) if digits else -1

    def _distinct(self, a: np.ndarray, b: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Distinct (a, b) id pairs and the inverse index: metrics run once per pair."""
        u, inv = np.unique(a * self.n_strings + b, return_inverse=True)
        return u // self.n_strings, u % self.n_strings, inv

    def _ratio(self, a: np.ndarray, b: np.ndarray) -> np.ndarray:
        texts = self.texts
        return process.cpdist(
            [texts[i] for i in a],
            [texts[i] for i in b],
            scorer=Indel.normalized_similarity,
            workers=-1,
        ).astype(np.float64)

    def core_similarity(self, a: np.ndarray, b: np.ndarray) -> np.ndarray:
        """Core names (ids ≥ 0): equal 1, homophones 0.95, one inside the other (in syllables)
        0.8–0.95 by length ratio, else the best of the character Indel ratio and 0.9 × the
        syllable Indel ratio."""
        ua, ub, inv = self._distinct(a, b)
        sa, sb = self.sound_of[ua], self.sound_of[ub]
        chars, sounds = self._ratio(ua, ub), self._ratio(sa, sb)
        sim = np.maximum(chars, 0.9 * sounds)
        la, lb = self.length[ua], self.length[ub]
        short, long_ = np.minimum(la, lb), np.maximum(la, lb)
        # Indel similarity is 2·LCS/(la+lb): the shorter is a subsequence when LCS = shorter.
        inside = (np.rint(sounds * (la + lb) / 2) == short) & (short >= 2)
        sim[inside] = np.maximum(sim[inside], 0.8 + 0.15 * short[inside] / long_[inside])
        sim[sa == sb] = 0.95
        sim[ua == ub] = 1.0
        return sim[inv]

    def name_similarity(self, lf: _Names, rf: _Names, li: np.ndarray, ri: np.ndarray) -> np.ndarray:
        """Similarity in [0, 1] of a ledger name column and the registered names, per pair:
        nine tenths core similarity, one tenth stem similarity ("张记面馆" is nearer "张记面馆"
        than "张记水果"; homophone stems count as equal). Empty names score 0."""
        a, b = lf.core[li], rf.core[ri]
        live = np.flatnonzero((a >= 0) & (b >= 0))
        sim = np.zeros(len(li))
        if len(live):
            l_, r_ = li[live], ri[live]
            core = self.core_similarity(a[live], b[live])
            sa, sb, inv = self._distinct(lf.stem[l_], rf.stem[r_])
            stem = self._ratio(sa, sb)[inv]
            stem[lf.stem_sound[l_] == rf.stem_sound[r_]] = 1.0
            sim[live] = 0.9 * core + 0.1 * stem
        return sim

    def near_numbers(self, a: np.ndarray, b: np.ndarray) -> np.ndarray:
        """True where house numbers differ like a typo: at most 2 apart ("900"/"902"), or the
        last two digits swapped ("1327"/"1372")."""
        if not len(a):
            return np.zeros(0, dtype=bool)
        ua, ub, inv = self._distinct(a, b)
        va, vb = self.number_value[ua], self.number_value[ub]
        near = (va >= 0) & (vb >= 0) & (np.abs(va - vb) <= 2)
        texts = self.texts
        for k in np.flatnonzero(~near).tolist():
            x, y = texts[ua[k]], texts[ub[k]]
            near[k] = len(x) == len(y) > 1 and x[:-2] == y[:-2] and x[-2:] == y[-1] + y[-2]
        return near[inv]

    def industry_conflict(self, li: np.ndarray, ri: np.ndarray) -> np.ndarray:
        """True where the ledger name and the registered name state different industries
        ("豪帆教育科技" vs "豪帆眼镜"). Abbreviations ("餐饮" for "餐饮管理", "科技" for
        "信息科技") and near spellings are no conflict."""
        a, b = self.lg.names[0].industry[li], self.rg.names[0].industry[ri]
        out = (a >= 0) & (b >= 0) & (a != b)
        k = np.flatnonzero(out)
        if len(k):
            ua, ub, inv = self._distinct(a[k], b[k])
            texts = self.texts
            close = self._ratio(ua, ub) >= 0.6
            for j in np.flatnonzero(~close).tolist():
                x, y = texts[ua[j]], texts[ub[j]]
                close[j] = x.startswith(y) or y.startswith(x) or x.endswith(y) or y.endswith(x)
            out[k] = ~close[inv]
        return out

    def score(self, li: np.ndarray, ri: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Scores and name similarities of candidate pairs (li[k], ri[k])."""
        lg, rg = self.lg, self.rg
        name = np.zeros(len(li))
        for col in lg.names:
            np.maximum(name, self.name_similarity(col, rg.names[0], li, ri), out=name)

        # Address agreement: same building 1; same road and a near number (a typo: 900/902,
        # 1327/1372) 0.7; same road, a number missing 0.6; a road unknown 0.5; another road,
        # or another number on the same road (a chain's other branch) 0.
        l_road, r_road = lg.road[li], rg.road[ri]
        l_num, r_num = lg.number[li], rg.number[ri]
        known = (l_road >= 0) & (r_road >= 0)
        same_road = known & (l_road == r_road)
        nums = same_road & (l_num >= 0) & (r_num >= 0)
        addr = np.full(len(li), 0.5)
        addr[known] = 0.0
        addr[same_road] = 0.6
        other = nums & (l_num != r_num)
        addr[other] = np.where(self.near_numbers(l_num[other], r_num[other]), 0.7, 0.0)
        addr[nums & (l_num == r_num)] = 1.0

        # The address decides more when the core name is shared by several registry records
        # (a chain), less when the ledger gives the registered name and no other registry
        # record has that name (a registered address elsewhere).
        reg, own = rg.names[0], lg.names[0]
        # Signs never count as the full name: a new business may trade under the old sign.
        specific = (
            (own.stem_sound[li] == reg.stem_sound[ri])
            & (own.stem_sound[li] >= 0)
            & (lg.branch[li] == rg.branch[ri])
            & (self.full_name_df[ri] == 1)
        )
        w_addr = np.where(specific, 0.15, np.where(self.chain[ri] > 1, 0.4, 0.3))
        score = (1.0 - w_addr) * name + w_addr * addr

        l_br, r_br = lg.branch[li], rg.branch[ri]
        both = (l_br >= 0) & (r_br >= 0)
        score[both & (l_br == r_br)] += 0.05
        score[both & (l_br != r_br)] -= 0.1
        score[self.industry_conflict(li, ri)] -= 0.15

        # Credit codes on both sides that differ: strong evidence against, unless one of them
        # fails its check character and they are one or two edits apart (a typo).
        l_code, r_code = lg.code[li], rg.code[ri]
        differ = (l_code >= 0) & (r_code >= 0) & (l_code != r_code)
        if differ.any():
            k = np.flatnonzero(differ)
            texts = self.texts
            dist = process.cpdist(
                [texts[c] for c in l_code[k]],
                [texts[c] for c in r_code[k]],
                scorer=Levenshtein.distance,
                workers=-1,
            )
            typo = (dist <= 2) & ~(lg.code_valid[li[k]] & rg.code_valid[ri[k]])
            score[k[typo]] += 0.1
            score[k[~typo]] *= 0.5
        np.clip(score, 0.0, 1.0, out=score)
        # Exact code equality is a match whatever the names say.
        score[(l_code >= 0) & (l_code == r_code)] = 1.0
        return score, name


# --- candidates and assignment -------------------------------------------------------------------


def _code_pairs(lg: _Side, rg: _Side) -> tuple[np.ndarray, np.ndarray]:
    """(ledger, registry) index pairs with the same credit code."""
    order = np.argsort(rg.code, kind="stable")
    codes = rg.code[order]
    has = lg.code >= 0
    li = np.flatnonzero(has)
    lo = np.searchsorted(codes, lg.code[li], side="left")
    hi = np.searchsorted(codes, lg.code[li], side="right")
    counts = hi - lo
    pairs_l = np.repeat(li, counts)
    offs = np.repeat(lo - (np.cumsum(counts) - counts), counts)
    return pairs_l, order[offs + np.arange(int(counts.sum()), dtype=np.int64)]


def _scored(
    scorer: _Scorer,
    li: np.ndarray,
    ri: np.ndarray,
    n_registry: int,
    review_threshold: float,
    seen: np.ndarray | None = None,
) -> tuple[np.ndarray, ...]:
    """Distinct pairs scored, in chunks; only those at or above review_threshold are kept.
    Pairs whose code (l·n + r) is in `seen` were scored before and are skipped."""
    code = np.unique(li * n_registry + ri)
    if seen is not None and len(seen):
        code = code[~np.isin(code, seen)]
    parts = []
    step = _CHUNK * 20
    for lo in range(0, len(code), step):
        c = code[lo : lo + step]
        l_, r_ = c // n_registry, c % n_registry
        s, nm = scorer.score(l_, r_)
        keep = s >= review_threshold
        parts.append((l_[keep], r_[keep], s[keep], nm[keep]))
    if not parts:
        e = np.zeros(0, dtype=np.int64)
        return e, e, np.zeros(0), np.zeros(0)
    return tuple(np.concatenate(x) for x in zip(*parts, strict=True))


def _assign(
    li: np.ndarray, ri: np.ndarray, score: np.ndarray, name: np.ndarray, match_threshold: float
) -> tuple[dict[int, tuple[int, float]], set[int]]:
    """Greedy one-to-one over pairs by descending score (ties: name, then input order).

    Returns ledger idx → (registry idx, score) of the matches, and the registry idxs matched.
    A pair with a rival candidate on either side within AMBIGUITY_MARGIN is not matched.
    """
    near = score >= match_threshold - AMBIGUITY_MARGIN
    li, ri, score, name = li[near], ri[near], score[near], name[near]
    order = np.lexsort((ri, li, -name, -score))
    by_l: dict[int, list[tuple[float, int]]] = {}
    by_r: dict[int, list[tuple[float, int]]] = {}
    rows = list(zip(li[order].tolist(), ri[order].tolist(), score[order].tolist(), strict=True))
    for l_, r_, s_ in rows:
        by_l.setdefault(l_, []).append((s_, r_))
        by_r.setdefault(r_, []).append((s_, l_))
    matched: dict[int, tuple[int, float]] = {}
    taken: set[int] = set()
    held: set[int] = set()  # ledger records held back as ambiguous
    for l_, r_, s_ in rows:
        if s_ < match_threshold:
            break
        if l_ in matched or l_ in held or r_ in taken:
            continue
        if s_ < 1.0:  # exact credit codes (1.0) are never ambiguous
            floor = s_ - AMBIGUITY_MARGIN
            if any(r2 != r_ and r2 not in taken and s2 >= floor for s2, r2 in by_l[l_]) or any(
                l2 != l_ and l2 not in matched and s2 >= floor for s2, l2 in by_r[r_]
            ):
                held.add(l_)
                continue
        matched[l_] = (r_, s_)
        taken.add(r_)
    return matched, taken


def match_records(
    ledger: Sequence[LedgerRecord],
    registry: Sequence[RegistryRecord],
    *,
    match_threshold: float = MATCH_THRESHOLD,
    review_threshold: float = REVIEW_THRESHOLD,
    roads: Iterable[str] = (),
) -> list[Pair]:
    """Link ledger records to registry records.

    Returns "match" pairs (at most one per ledger id and per registry id) and, for ledger
    records left unmatched, up to MAX_REVIEWS "review" candidates each whose registry record is
    not matched elsewhere. Scores are in [0, 1]; pairs under review_threshold are left out.
    `roads` is the subdistrict's road list, used first when parsing addresses.
    """
    # Millions of small tuples and strings but no reference cycles: the cyclic garbage
    # collector would only rescan the inputs again and again (a third of the run time).
    collecting = gc.isenabled()
    gc.disable()
    try:
        return _match(ledger, registry, match_threshold, review_threshold, tuple(roads))
    finally:
        if collecting:
            gc.enable()


def _match(
    ledger: Sequence[LedgerRecord],
    registry: Sequence[RegistryRecord],
    match_threshold: float,
    review_threshold: float,
    roads: tuple[str, ...],
) -> list[Pair]:
    prep = _Prep(roads)
    rg, r_sounds, r_places = prep.side(
        [r.name for r in registry],
        None,
        [r.address for r in registry],
        [r.credit_code for r in registry],
    )
    lg, l_sounds, l_places = prep.side(
        [r.name for r in ledger],
        [r.sign_name for r in ledger],
        [r.address for r in ledger],
        [r.credit_code for r in ledger],
    )
    r_keys, r_recs = _registry_postings(prep.keys, r_sounds, r_places)
    l_keys, l_recs, l_caps, l_pass = _ledger_postings(prep.keys, l_sounds, l_places)
    del r_sounds, r_places, l_sounds, l_places
    index = _Index(r_keys, r_recs, len(prep.keys))
    scorer = _Scorer(prep, lg, rg)
    n_r = max(rg.n, 1)

    # Pass 1: the same sound key, and equal credit codes.
    first = l_pass == 1
    li, ri = index.join(l_keys[first], l_recs[first], l_caps[first])
    cl, cr = _code_pairs(lg, rg)
    found = _scored(scorer, np.concatenate([li, cl]), np.concatenate([ri, cr]), n_r, 0.0)
    best = np.zeros(lg.n)
    np.maximum.at(best, found[0], found[2])
    # Pass 2, for ledger records without a convincing candidate: bigrams and buildings.
    open_ = best[l_recs] < RESOLVED_SCORE
    li, ri = index.join(l_keys[open_], l_recs[open_], l_caps[open_])
    more = _scored(scorer, li, ri, n_r, review_threshold, seen=found[0] * n_r + found[1])
    keep = found[2] >= review_threshold
    li, ri, score, name = (
        np.concatenate([a[keep], b]) for a, b in zip(found, more, strict=True)
    )

    matched, taken = _assign(li, ri, score, name, match_threshold)
    reviews: dict[int, list[tuple[float, int]]] = {}
    for k in np.lexsort((ri, li, -name, -score)).tolist():
        l_, r_ = int(li[k]), int(ri[k])
        if l_ in matched or r_ in taken:
            continue
        found_ = reviews.setdefault(l_, [])
        if len(found_) < MAX_REVIEWS:
            found_.append((float(score[k]), r_))

    pairs: list[Pair] = []
    for i in range(lg.n):
        if i in matched:
            j, s = matched[i]
            pairs.append(Pair(ledger[i].id, registry[j].id, round(s, 4), "match"))
        for s, j in reviews.get(i, ()):
            pairs.append(Pair(ledger[i].id, registry[j].id, round(s, 4), "review"))
    return pairs


# --- CSV -----------------------------------------------------------------------------------------

LEDGER_COLUMNS = ("id", "name", "sign_name", "credit_code", "address")
REGISTRY_COLUMNS = ("id", "name", "credit_code", "address")
PAIR_COLUMNS = ("ledger_id", "registry_id", "score", "decision")


def _read_rows(path: str | Path, columns: tuple[str, ...]) -> list[dict[str, str]]:
    """Rows of a UTF-8 CSV (with or without BOM) that has at least `columns`."""
    try:
        with open(path, encoding="utf-8-sig", newline="") as fh:
            reader = csv.DictReader(fh)
            header = [h.strip() for h in reader.fieldnames or ()]
            missing = [c for c in columns if c not in header]
            if missing:
                raise CsvFormatError(
                    f"{path}: 缺少列 / missing columns: {', '.join(missing)}"
                    f"（已有 / found: {', '.join(header) or '无 / none'}）"
                )
            reader.fieldnames = header
            return [{c: (row.get(c) or "").strip() for c in columns} for row in reader]
    except UnicodeDecodeError as exc:
        raise CsvFormatError(f"{path}: 不是 UTF-8 编码 / not UTF-8 encoded ({exc.reason})") from exc
    except csv.Error as exc:
        raise CsvFormatError(f"{path}: CSV 格式错误 / malformed CSV: {exc}") from exc
    except OSError as exc:
        raise CsvFormatError(f"{path}: 无法读取文件 / cannot read file: {exc.strerror}") from exc


def read_ledger_csv(path: str | Path) -> list[LedgerRecord]:
    """Ledger rows from CSV columns id,name,sign_name,credit_code,address."""
    return [LedgerRecord(**row) for row in _read_rows(path, LEDGER_COLUMNS)]


def read_registry_csv(path: str | Path) -> list[RegistryRecord]:
    """Registry rows from CSV columns id,name,credit_code,address."""
    return [RegistryRecord(**row) for row in _read_rows(path, REGISTRY_COLUMNS)]


def write_pairs_csv(path: str | Path, pairs: Iterable[Pair]) -> None:
    """Pairs as UTF-8 CSV ledger_id,registry_id,score,decision (score with 4 decimals)."""
    with open(path, "w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(PAIR_COLUMNS)
        for p in pairs:
            writer.writerow((p.ledger_id, p.registry_id, f"{p.score:.4f}", p.decision))
