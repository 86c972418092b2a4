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
    homophones,
    normalise_credit_code,
    road_and_number,
    sound_key,
    split_name,
)

# A pair at or above this score is a match. Typical scores: the same core name (or a
# homophone) at the same building 0.95–0.99; the full registered name, held by no other registry
# record, at another address (registered office elsewhere) 0.85; 1.0 only for equal credit codes.
MATCH_THRESHOLD = 0.80
# Pairs between the two thresholds go to a person; below it they are not output. The same core
# name on another road or at another number (a chain's other branch, a business that moved)
# scores 0.6–0.7; a different name at the same building (a new business in old premises) < 0.5.
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
# The highest score a pair gets without equal credit codes.
_BEST_WITHOUT_CODE = 0.99
# Candidate pairs scored per numpy batch; bounds the memory of scoring.
_PAIRS_PER_BATCH = 1_000_000


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


class _Interner:
    """Strings to small integers, so comparisons run in numpy; "" is always -1."""

    def __init__(self) -> None:
        self.table: dict[str, int] = {"": 0}

    def ids(self, values: Iterable[str], n: int) -> np.ndarray:
        table = self.table
        add = table.setdefault  # one C call per value: the id of a new string is the size
        return np.fromiter((add(v, len(table)) for v in values), dtype=np.int64, count=n) - 1

    def strings(self) -> list[str]:
        """All strings, by id."""
        return list(self.table)[1:]

    def __len__(self) -> int:
        return len(self.table) - 1


def _unique(x: np.ndarray) -> np.ndarray:
    """Sorted distinct values (np.unique without inverse takes a hash path that is about 15
    times slower on large int64 arrays)."""
    s = np.sort(x)
    return s[np.concatenate(([True], s[1:] != s[:-1]))] if len(s) else s


@dataclass(slots=True)
class _Names:
    """One name column (registered name or shop sign) as interned string ids, -1 if empty."""

    core: np.ndarray  # core trade name
    sound: np.ndarray  # sound key of the core
    stem: np.ndarray  # name with its industry words kept
    stem_sound: np.ndarray  # sound key of the stem
    industry: np.ndarray  # what the stem adds to the core ("餐饮管理")
    form: np.ndarray  # legal form ("公司", "个体", …)


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


def _industry_of(p: NameParts) -> bool:
    return bool(p.core) and p.stem.startswith(p.core)


class _Prep:
    """Normalises both sides with one string table and memo tables (values repeat a lot:
    ledger names are often the registered name verbatim)."""

    def __init__(self, roads: tuple[str, ...]) -> None:
        self.roads = roads
        self.strings = _Interner()
        self.parts: dict[str, NameParts] = {}
        self.sounds: dict[str, str] = {}
        self.addresses: dict[str, tuple[str, str, str]] = {}

    def names(self, values: Sequence[str]) -> tuple[_Names, list[str]]:
        """A name column and the branch markers of its names."""
        n, parts, sounds, ids = len(values), self.parts, self.sounds, self.strings.ids
        split = [parts.get(v) or parts.setdefault(v, split_name(v)) for v in values]
        cores = [p[0] for p in split]
        stems = [p[2] for p in split]
        col = _Names(
            core=ids(cores, n),
            sound=ids((sounds.get(c) or sounds.setdefault(c, sound_key(c)) for c in cores), n),
            stem=ids(stems, n),
            stem_sound=ids((sounds.get(c) or sounds.setdefault(c, sound_key(c)) for c in stems), n),
            industry=ids((p.stem[len(p.core) :] if _industry_of(p) else "" for p in split), n),
            form=ids((p.form for p in split), n),
        )
        return col, [p[1] for p in split]

    def side(
        self,
        names: Sequence[str],
        signs: Sequence[str] | None,
        addresses: Sequence[str],
        codes: Sequence[str],
    ) -> _Side:
        n, ids = len(names), self.strings.ids
        cols = [self.names(names)] + ([self.names(signs)] if signs is not None else [])
        memo, roads = self.addresses, self.roads
        parsed = [memo.get(a) or memo.setdefault(a, road_and_number(a, roads)) for a in addresses]
        code = [normalise_credit_code(c) for c in codes]
        # The branch marker of the name, else of the sign.
        branch = cols[0][1]
        if len(cols) > 1:
            branch = [b or b2 for b, b2 in zip(branch, cols[1][1], strict=True)]
        return _Side(
            n=n,
            names=[c for c, _ in cols],
            branch=ids((branch_key(b) if b else "" for b in branch), n),
            road=ids((a[0] for a in parsed), n),
            number=ids((a[1] for a in parsed), n),
            code=ids(code, n),
            code_valid=np.fromiter(map(credit_code_valid, code), dtype=bool, count=n),
        )


# Blocking keys are int64: the kind in the top bits, then string ids / syllable bigrams / road.
_P, _R, _U, _G, _V, _H, _A = (np.int64(k) << 58 for k in range(1, 8))


class _Keys:
    """Per-record blocking material of both sides, as arrays.

    P sound key anywhere, R sound key on a road, U sound key with no road, G syllable bigram
    on a road, V bigram with no road, H bigram anywhere, A building (road + number).
    """

    def __init__(self, texts: list[str], lg: _Side, rg: _Side) -> None:
        # Roads as small integers, so a road fits beside a sound key in one int64.
        roads = np.concatenate([lg.road, rg.road])
        known = _unique(roads[roads >= 0])
        self.l_road = self._small(lg.road, known)
        self.r_road = self._small(rg.road, known)
        self.bits = max(len(known).bit_length(), 1)  # room for a road number in a key
        # Syllable bigrams of every sound key, in CSR form: sound id → bigram ints (two 16-bit
        # syllable codes; a one-syllable name is its own gram, marked by bit 32). With a road
        # shifted in, they stay below the kind bits.
        sounds = np.concatenate([c.sound for c in (*lg.names, *rg.names)])
        self.sound_ids = _unique(sounds[sounds >= 0])
        lengths, flat = [], []
        for sid in self.sound_ids.tolist():
            codes = [ord(c) & 0xFFFF for c in texts[sid]]
            grams = {codes[i] << 16 | codes[i + 1] for i in range(len(codes) - 1)} or {
                1 << 32 | codes[0]
            }
            lengths.append(len(grams))
            flat.extend(grams)
        self.gram_len = np.array(lengths, dtype=np.int64)
        self.gram_start = np.concatenate([[0], np.cumsum(self.gram_len)[:-1]]).astype(np.int64)
        self.grams = np.array(flat, dtype=np.int64)

    @staticmethod
    def _small(road: np.ndarray, known: np.ndarray) -> np.ndarray:
        out = np.full(len(road), -1, dtype=np.int64)
        has = road >= 0
        out[has] = np.searchsorted(known, road[has])
        return out

    def bigrams(self, recs: np.ndarray, sound: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(record, bigram) rows for records with the given sound ids (all ≥ 0)."""
        row = np.searchsorted(self.sound_ids, sound)
        counts = self.gram_len[row]
        rec = np.repeat(recs, counts)
        offs = np.repeat(self.gram_start[row] - (np.cumsum(counts) - counts), counts)
        return rec, self.grams[offs + np.arange(int(counts.sum()), dtype=np.int64)]

    def registry(self, rg: _Side) -> tuple[np.ndarray, np.ndarray]:
        """(key, record) postings of the registry."""
        keys, recs = [], []
        road, number, bits = self.r_road, rg.number, self.bits
        routed = road >= 0
        for col in rg.names:
            has = col.sound >= 0
            r = np.flatnonzero(has)
            s = col.sound[r]
            on_road = routed[r]
            keys += [_P | s, _R | s[on_road] << bits | road[r[on_road]], _U | s[~on_road]]
            recs += [r, r[on_road], r[~on_road]]
            g_rec, g = self.bigrams(r, s)
            g_road = road[g_rec]
            g_on = g_road >= 0
            keys += [_H | g, _G | g[g_on] << bits | g_road[g_on], _V | g[~g_on]]
            recs += [g_rec, g_rec[g_on], g_rec[~g_on]]
        a = np.flatnonzero(routed & (number >= 0))
        keys.append(_A | number[a] << bits | road[a])
        recs.append(a)
        return np.concatenate(keys), np.concatenate(recs)

    def ledger(self, lg: _Side) -> tuple[np.ndarray, ...]:
        """(key, record, cap, pass) postings of the ledger's look-ups. Pass 1: the same sound
        key (on the same road, with no road, or anywhere if rare); pass 2: bigrams and the
        building."""
        keys, recs, caps, passes = [], [], [], []

        def add(k: np.ndarray, r: np.ndarray, cap: int, pass_: int) -> None:
            keys.append(k)
            recs.append(r)
            caps.append(np.full(len(r), cap, dtype=np.int64))
            passes.append(np.full(len(r), pass_, dtype=np.int8))

        road, number, bits = self.l_road, lg.number, self.bits
        for col in lg.names:
            r = np.flatnonzero(col.sound >= 0)
            s = col.sound[r]
            on = road[r] >= 0
            add(_R | s[on] << bits | road[r[on]], r[on], _CAP_NAME, 1)
            add(_U | s[on], r[on], _CAP_NAME, 1)
            add(_P | s[on], r[on], _CAP_NAME_ANY_ROAD, 1)
            add(_P | s[~on], r[~on], _CAP_NAME, 1)
            g_rec, g = self.bigrams(r, s)
            g_road = road[g_rec]
            g_on = g_road >= 0
            add(_G | g[g_on] << bits | g_road[g_on], g_rec[g_on], _CAP_WIDE, 2)
            add(_V | g[g_on], g_rec[g_on], _CAP_WIDE, 2)
            add(_H | g[~g_on], g_rec[~g_on], _CAP_WIDE, 2)
        a = np.flatnonzero((road >= 0) & (number >= 0))
        add(_A | number[a] << bits | road[a], a, _CAP_WIDE, 2)
        return tuple(np.concatenate(x) for x in (keys, recs, caps, passes))


class _Index:
    """The registry postings sorted by key, for a numpy join."""

    def __init__(self, r_keys: np.ndarray, r_recs: np.ndarray) -> None:
        order = np.argsort(r_keys, kind="stable")
        self.keys = r_keys[order]
        self.recs = r_recs[order]

    def join(
        self, l_keys: np.ndarray, l_recs: np.ndarray, caps: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray]:
        """(ledger, registry) index pairs sharing a key held by at most `cap` records."""
        lo = np.searchsorted(self.keys, l_keys, side="left")
        counts = np.searchsorted(self.keys, l_keys, side="right") - lo
        keep = (counts > 0) & (counts <= caps)
        lo, l_recs, counts = lo[keep], l_recs[keep], counts[keep]
        total = int(counts.sum())
        li = np.repeat(l_recs, counts)
        # Each posting's range in the sorted registry postings, expanded position by position.
        offs = np.repeat(lo - (np.cumsum(counts) - counts), counts)
        return li, self.recs[offs + np.arange(total, dtype=np.int64)]


# --- scoring -------------------------------------------------------------------------------------


_LEADING_DIGITS = re.compile(r"\d+")


class _Scorer:
    def __init__(self, prep: _Prep, lg: _Side, rg: _Side) -> None:
        self.lg, self.rg = lg, rg
        self.texts = prep.strings.strings()  # id → string
        self.text_array = np.array(self.texts + [""], dtype=object)  # the same, for fancy indexing
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
        # Registry records sharing the full name (stem) and the branch: a full name that one
        # record holds identifies it even where the addresses disagree (the ledger has where
        # the business operates, the registry its registered address).
        full = reg.stem >= 0
        combo = reg.stem[full] * (self.n_strings + 1) + rg.branch[full] + 1
        _, inv, counts = np.unique(combo, return_inverse=True, return_counts=True)
        self.full_name_df = np.zeros(rg.n, dtype=np.int64)
        self.full_name_df[full] = counts[inv]
        # House numbers as integers ("1025弄5" → 1025) for "near number" checks.
        self.number_value = np.full(self.n_strings, -1, dtype=np.int64)
        for col in (lg.number, rg.number):
            for i in _unique(col[col >= 0]).tolist():
                digits = _LEADING_DIGITS.match(self.texts[i])
                self.number_value[i] = int(digits.group()) if digits else -1

    def _distinct(self, a: np.ndarray, b: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Distinct (a, b) id pairs and the inverse index: metrics run once per pair."""
        u, inv = np.unique(a * self.n_strings + b, return_inverse=True)
        return u // self.n_strings, u % self.n_strings, inv

    def _ratio(self, a: np.ndarray, b: np.ndarray) -> np.ndarray:
        return process.cpdist(
            self.text_array[a].tolist(),
            self.text_array[b].tolist(),
            scorer=Indel.normalized_similarity,
            workers=-1,
        ).astype(np.float64)

    def core_similarity(self, a: np.ndarray, b: np.ndarray) -> np.ndarray:
        """Core names (ids ≥ 0): equal 1, homophones 0.95, one inside the other (in syllables)
        0.8–0.95 by length ratio, else the best of the character Indel ratio and 0.9 × the
        syllable Indel ratio."""
        ua, ub, inv = self._distinct(a, b)
        sa, sb = self.sound_of[ua], self.sound_of[ub]
        sim = np.where(ua == ub, 1.0, 0.95)
        k = np.flatnonzero(sa != sb)  # string metrics only where the sounds differ
        if len(k):
            ua, ub, sa, sb = ua[k], ub[k], sa[k], sb[k]
            sounds = self._ratio(sa, sb)
            chars = self._ratio(ua, ub)
            part = np.maximum(chars, 0.9 * sounds)
            # Homophones by another reading of a character (勒 "lei"/"le" and 乐 "le").
            texts = self.texts
            for j in np.flatnonzero((chars >= 0.5) & (self.length[ua] == self.length[ub])):
                if homophones(texts[int(ua[j])], texts[int(ub[j])]):
                    part[j] = 0.95
            la, lb = self.length[ua], self.length[ub]
            short, long_ = np.minimum(la, lb), np.maximum(la, lb)
            # Indel similarity is 2·LCS/(la+lb): the shorter is a subsequence when LCS = short.
            inside = (np.rint(sounds * (la + lb) / 2) == short) & (short >= 2)
            part[inside] = np.maximum(part[inside], 0.8 + 0.15 * short[inside] / long_[inside])
            sim[k] = part
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
            stem = np.ones(len(live))
            k = np.flatnonzero(lf.stem_sound[l_] != rf.stem_sound[r_])
            if len(k):
                sa, sb, inv = self._distinct(lf.stem[l_[k]], rf.stem[r_[k]])
                stem[k] = self._ratio(sa, sb)[inv]
            sim[live] = 0.9 * core + 0.1 * stem
        return sim

    def near_numbers(self, a: np.ndarray, b: np.ndarray) -> np.ndarray:
        """True where house numbers differ like a typo: at most 2 apart ("900"/"902"), or the
        last two digits swapped ("1327"/"1372"). Numbers in one lane ("1154弄7", "1154弄9")
        are near too."""
        va, vb = self.number_value[a], self.number_value[b]
        known = (va >= 0) & (vb >= 0)
        swapped = (va // 100 == vb // 100) & (va % 100 == vb % 10 * 10 + vb // 10 % 10)
        return known & ((np.abs(va - vb) <= 2) | (swapped & (va >= 10)))

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
                x, y = texts[int(ua[j])], texts[int(ub[j])]
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
        # A company and an individual business are different entities whatever the name.
        l_form, r_form = own.form[li], reg.form[ri]
        form_conflict = (l_form >= 0) & (r_form >= 0) & (l_form != r_form)
        # The full registered name, spelt the same (homophones are often other businesses) and
        # held by one registry record, identifies it even at another address.
        specific = (
            (own.stem[li] == reg.stem[ri])
            & (own.stem[li] >= 0)
            & (lg.branch[li] == rg.branch[ri])
            & (self.full_name_df[ri] == 1)
            & ~form_conflict
        )
        w_addr = np.where(specific, 0.15, np.where(self.chain[ri] > 1, 0.4, 0.3))
        score = (1.0 - w_addr) * name + w_addr * addr

        l_br, r_br = lg.branch[li], rg.branch[ri]
        both = (l_br >= 0) & (r_br >= 0)
        score[both & (l_br == r_br)] += 0.05
        score[both & (l_br != r_br)] -= 0.1
        score[self.industry_conflict(li, ri)] -= 0.15
        score[form_conflict] -= 0.15

        # Credit codes on both sides that differ: strong evidence against, unless one of them
        # fails its check character and they are one or two edits apart (a typo).
        l_code, r_code = lg.code[li], rg.code[ri]
        differ = (l_code >= 0) & (r_code >= 0) & (l_code != r_code)
        if differ.any():
            k = np.flatnonzero(differ)
            dist = process.cpdist(
                self.text_array[l_code[k]].tolist(),
                self.text_array[r_code[k]].tolist(),
                scorer=Levenshtein.distance,
                workers=-1,
            )
            typo = (dist <= 2) & ~(lg.code_valid[li[k]] & rg.code_valid[ri[k]])
            score[k[typo]] += 0.1
            score[k[~typo]] *= 0.5
        # 1.0 is kept for equal credit codes: names and addresses alone are never that sure.
        np.clip(score, 0.0, _BEST_WITHOUT_CODE, out=score)
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
    code = _unique(li * n_registry + ri)
    if seen is not None and len(seen):
        code = code[~np.isin(code, seen)]
    parts = []
    step = _PAIRS_PER_BATCH
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


def _first_of_id(ids: list[str]) -> np.ndarray | None:
    """Index of the first row with each row's id, or None when every id is distinct."""
    first: dict[str, int] = {}
    canon = np.fromiter((first.setdefault(x, i) for i, x in enumerate(ids)), np.int64, len(ids))
    return None if len(first) == len(ids) else canon


def _merge_repeated_ids(
    li: np.ndarray,
    ri: np.ndarray,
    score: np.ndarray,
    name: np.ndarray,
    l_ids: list[str],
    r_ids: list[str],
) -> tuple[np.ndarray, ...]:
    """Pairs re-pointed at the first row of each id, keeping the best score of each pair."""
    l_canon, r_canon = _first_of_id(l_ids), _first_of_id(r_ids)
    if l_canon is None and r_canon is None:
        return li, ri, score, name
    if l_canon is not None:
        li = l_canon[li]
    if r_canon is not None:
        ri = r_canon[ri]
    order = np.lexsort((-name, -score, ri, li))
    li, ri, score, name = li[order], ri[order], score[order], name[order]
    first = np.ones(len(li), dtype=bool)
    first[1:] = (li[1:] != li[:-1]) | (ri[1:] != ri[:-1])
    return li[first], ri[first], score[first], name[first]


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
    rg = prep.side(
        [r.name for r in registry],
        None,
        [r.address for r in registry],
        [r.credit_code for r in registry],
    )
    lg = prep.side(
        [r.name for r in ledger],
        [r.sign_name for r in ledger],
        [r.address for r in ledger],
        [r.credit_code for r in ledger],
    )
    scorer = _Scorer(prep, lg, rg)
    blocking = _Keys(scorer.texts, lg, rg)
    index = _Index(*blocking.registry(rg))
    l_keys, l_recs, l_caps, l_pass = blocking.ledger(lg)
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
    li, ri, score, name = (np.concatenate([a[keep], b]) for a, b in zip(found, more, strict=True))
    # Rows that repeat an id are one record for the assignment, so no id is matched twice.
    li, ri, score, name = _merge_repeated_ids(
        li, ri, score, name, [r.id for r in ledger], [r.id for r in registry]
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
    for i in sorted(matched.keys() | reviews.keys()):
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
                    f"缺少列 / missing columns: {', '.join(missing)} — {path} "
                    f"(已有 / found: {', '.join(h for h in header if h) or '无 / none'})"
                )
            reader.fieldnames = header
            return [{c: (row.get(c) or "").strip() for c in columns} for row in reader]
    except UnicodeDecodeError as exc:
        raise CsvFormatError(f"文件不是 UTF-8 编码 / not UTF-8 encoded: {path}") from exc
    except csv.Error as exc:
        raise CsvFormatError(f"CSV 格式错误 / malformed CSV: {path}: {exc}") from exc
    except OSError as exc:
        raise CsvFormatError(
            f"无法读取文件 / cannot read file: {path} ({exc.strerror or exc})"
        ) from exc


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
