"""Ledger ↔ registry matching: Jiequ's matcher against a rapidfuzz baseline and splink 5.

    .venv/bin/python bench/match_bench.py            # 2,000 × 2,500, seeds 1 and 2, 3 methods
    .venv/bin/python bench/match_bench.py --scale    # Jiequ alone on 300,000 × 300,000

Each (method, seed) runs in a fresh subprocess of this script (`--method NAME`), so the peak
RSS (ru_maxrss) is that method's own; the child generates the data (bench/ledger_data.py,
deterministic for a seed), times only the matching call and prints one JSON line. A child
that exceeds --timeout is killed and reported as "timed out". Everything is in-process or
loopback: no network.

Metrics, against the generator's truth pairs: precision, recall and F1 of the "match"
decisions; review share = ledger records with a review row and no match / all ledger records;
"found" = truth pairs proposed as match or review; wall time of the matching call; peak RSS
of the child (and its RSS before matching, i.e. interpreter + data + imports).

The baseline and the splink model share a small normaliser written here (NFKC, place prefix,
organisation form, industry words, road list + house number); they do not use Jiequ's.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import re
import resource
import subprocess
import sys
import time
import unicodedata
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
sys.path.insert(0, str(ROOT / "src"))

import ledger_data  # noqa: E402

METHODS = ("jiequ", "rapidfuzz", "splink")
RESULT_PREFIX = "RESULT "

# --------------------------------------------------------------------------- shared normaliser

_FORMS = ("股份有限公司", "有限责任公司", "有限公司", "公司", "个体工商户", "个体")
_PLACE_RE = re.compile(r"^(?:中国)?(?:上海市?)?(?:静安区)?")
_BRACKETS_RE = re.compile(r"\([^()]*\)")
_INDUSTRY = tuple(
    sorted(
        {
            # company industries
            "餐饮管理", "餐饮服务", "餐饮", "食品", "贸易", "商贸", "国际贸易", "信息科技",
            "网络科技", "教育科技", "医药科技", "数据科技", "环保科技", "生物科技", "科技",
            "信息技术", "电子商务", "文化传播", "文化传媒", "文化发展", "体育发展", "文化",
            "企业管理咨询", "企业管理", "管理咨询", "咨询", "投资管理", "资产管理", "投资",
            "物业管理", "健康管理", "供应链管理", "酒店管理", "实业", "发展", "会展服务",
            "人力资源", "房地产经纪", "房地产", "广告", "设计", "建筑装饰工程", "装饰工程",
            "美容美发", "服饰", "花艺", "眼镜", "烟酒", "咖啡", "便利",
            # shop kinds on signs
            "餐厅", "小馆", "面馆", "菜馆", "酒家", "饭店", "小厨", "茶餐厅", "商行", "便利店",
            "超市", "美发", "造型", "美容院", "时装店", "食品店", "烘焙坊", "咖啡馆", "推拿",
            "养生馆", "花店", "视光", "眼镜店", "烟酒店", "名酒行", "店",
        },
        key=len,
        reverse=True,
    )
)  # fmt: skip
_CN_NUM_RE = re.compile("[零〇一二两三四五六七八九十百千]+(?=[号弄层楼室])")
_CN_VAL = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6}
_CN_VAL |= {"七": 7, "八": 8, "九": 9}
_ROAD_RE = re.compile("|".join(sorted(ledger_data.ROADS, key=len, reverse=True)))
_BRANCH_RE = re.compile(
    "(?:(?:" + _ROAD_RE.pattern + ")[一二三四五六七八九十]*(?:分店|门店|店)"
    r"|(?:上海|静安)[\u4e00-\u9fff]{0,4}分公司)$"
)


def _cn_int(text: str) -> int:
    total, current = 0, 0
    for ch in text:
        if ch in "十百千":
            total += (current or 1) * {"十": 10, "百": 100, "千": 1000}[ch]
            current = 0
        else:
            current = current * 10 + _CN_VAL[ch]
    return total + current


def split_name(name: str) -> tuple[str, str]:
    """(core trade name, branch marker) of a registered name, ledger name or sign."""
    s = unicodedata.normalize("NFKC", name or "").replace(" ", "")
    branch = ""
    m = _BRANCH_RE.search(s)
    if m and m.start() > 0:
        branch, s = m.group(0), s[: m.start()]
    s = _BRACKETS_RE.sub("", s)
    s = _PLACE_RE.sub("", s)
    for _ in range(3):
        for form in _FORMS:
            if s.endswith(form) and len(s) > len(form) + 1:
                s = s[: -len(form)]
                break
        for word in _INDUSTRY:
            if s.endswith(word) and len(s) >= len(word) + 2:
                s = s[: -len(word)]
                break
    return s, branch


def parse_address(address: str) -> tuple[str, str, str]:
    """(road, house "123" or "45弄6", room) — empty strings where not found."""
    s = _BRACKETS_RE.sub("", unicodedata.normalize("NFKC", address or "").replace(" ", ""))
    m = _ROAD_RE.search(s)
    if not m:
        return "", "", ""
    road, rest = m.group(0), s[m.end() :]
    rest = _CN_NUM_RE.sub(lambda x: str(_cn_int(x.group(0))), rest)
    house = ""
    h = re.match(r"(\d+)弄(\d+)号?|(\d+)号?", rest)
    if h:
        house = f"{h.group(1)}弄{h.group(2)}" if h.group(1) else h.group(3)
    room = re.search(r"(\d+)室", rest)
    return road, house, room.group(1) if room else ""


def normalise_code(code: str) -> str:
    c = unicodedata.normalize("NFKC", code or "").replace(" ", "").upper()
    return c if ledger_data.credit_code_valid(c) else ""


# --------------------------------------------------------------------------- methods


def run_jiequ(ledger, registry):
    from jiequ.ledger.matching import match_records

    pairs = match_records(ledger, registry, roads=ledger_data.ROADS)
    return [(p.ledger_id, p.registry_id, p.score, p.decision) for p in pairs]


def _greedy(cands, match_at, review_at, max_reviews=3):
    """One-to-one greedy assignment over (score, ledger_i, registry_j) candidates."""
    cands.sort(key=lambda c: (-c[0], c[1], c[2]))
    matched_l, matched_r, out = {}, set(), []
    for s, i, j in cands:
        if s < match_at:
            break
        if i not in matched_l and j not in matched_r:
            matched_l[i] = j
            matched_r.add(j)
            out.append((i, j, s, "match"))
    reviews = Counter()
    for s, i, j in cands:
        if s < review_at:
            break
        if s >= match_at and matched_l.get(i) == j:
            continue
        if i in matched_l or j in matched_r or reviews[i] >= max_reviews:
            continue
        reviews[i] += 1
        out.append((i, j, s, "review"))
    return out


def run_rapidfuzz(ledger, registry, match_at=85.0, review_at=70.0):
    """Block on road; WRatio of lightly normalised names (name and sign), ± house number."""
    import numpy as np
    from rapidfuzz import fuzz, process

    def light(name):
        s = _PLACE_RE.sub("", unicodedata.normalize("NFKC", name or "").replace(" ", ""))
        s = s.replace("(个体工商户)", "")
        for form in _FORMS:
            s = s.replace(form, "")
        return s

    r_names = [light(r.name) for r in registry]
    r_addr = [parse_address(r.address) for r in registry]
    r_code = {normalise_code(r.credit_code): j for j, r in enumerate(registry)}
    r_code.pop("", None)
    by_road: dict[str, list[int]] = {}
    for j, (road, _, _) in enumerate(r_addr):
        by_road.setdefault(road, []).append(j)
    all_j = list(range(len(registry)))
    l_block: dict[str, list[int]] = {}
    l_addr = [parse_address(r.address) for r in ledger]
    for i, (road, _, _) in enumerate(l_addr):
        l_block.setdefault(road, []).append(i)
    cands = []
    for i, r in enumerate(ledger):
        j = r_code.get(normalise_code(r.credit_code))
        if j is not None:
            cands.append((100.0, i, j))
    for road, li in l_block.items():
        rj = by_road.get(road, []) if road else all_j
        if not rj:
            continue
        choices = [r_names[j] for j in rj]
        best = None
        for field in ("name", "sign_name"):
            queries = [light(getattr(ledger[i], field)) for i in li]
            m = process.cdist(queries, choices, scorer=fuzz.WRatio, workers=1)
            m[[k for k, q in enumerate(queries) if not q], :] = 0
            best = m if best is None else np.maximum(best, m)
        for a, i in enumerate(li):
            house = l_addr[i][1]
            for b in np.flatnonzero(best[a] >= review_at - 8):
                j = rj[b]
                s = float(best[a, b])
                other = r_addr[j][1]
                if house and other:
                    s += 8 if house == other else -8
                if s >= review_at:
                    cands.append((min(s, 100.0), i, j))
    out = _greedy(cands, match_at, review_at)
    return [(ledger[i].id, registry[j].id, s, d) for i, j, s, d in out]


def _splink_rows(records, is_ledger):
    from pypinyin import lazy_pinyin

    columns = ("unique_id", "name_core", "name_py", "py_prefix", "name_grams", "branch", "road",
               "house", "house_no", "room", "credit_code")  # fmt: skip
    rows = {k: [] for k in columns}
    for r in records:
        core, branch = split_name(r.name)
        grams = set()
        sign_core = ""
        if is_ledger and r.sign_name:
            sign_core, sign_branch = split_name(r.sign_name)
            branch = branch or sign_branch
        if not core:
            core = sign_core
        for text in (core, sign_core):
            grams.update(text[k : k + 2] for k in range(len(text) - 1))
        py = lazy_pinyin(core) if core else []
        road, house, room = parse_address(r.address)
        rows["unique_id"].append(r.id)
        rows["name_core"].append(core or None)
        rows["name_py"].append("".join(py) or None)
        rows["py_prefix"].append("".join(py[:2]) or None)
        rows["name_grams"].append(sorted(grams) or None)
        rows["branch"].append(branch or None)
        rows["road"].append(road or None)
        rows["house"].append(f"{road}|{house}" if road and house else None)
        rows["house_no"].append(int(house) if house.isdigit() else None)
        rows["room"].append(room or None)
        rows["credit_code"].append(normalise_code(r.credit_code) or None)
    return rows


def run_splink(ledger, registry, match_p=0.8, review_p=0.2):
    import pyarrow as pa
    import splink.comparison_level_library as cll
    import splink.comparison_library as cl
    from splink import DuckDBAPI, Linker, SettingsCreator, block_on

    db = DuckDBAPI()
    left = db.register(pa.table(_splink_rows(ledger, True)), dataset_display_name="ledger")
    right = db.register(pa.table(_splink_rows(registry, False)), dataset_display_name="registry")
    name = cl.CustomComparison(
        [
            cll.NullLevel("name_core"),
            cll.ExactMatchLevel("name_core"),
            cll.ExactMatchLevel("name_py").configure(label_for_charts="same pinyin"),
            cll.CustomLevel(
                "length(name_core_l) >= 2 and length(name_core_r) >= 2 and "
                "(contains(name_core_l, name_core_r) or contains(name_core_r, name_core_l))",
                "containment",
            ),
            cll.ArrayIntersectLevel("name_grams", 3),
            cll.ArrayIntersectLevel("name_grams", 1),
            cll.ElseLevel(),
        ],
        output_column_name="name",
    )
    address = cl.CustomComparison(
        [
            cll.NullLevel("road"),
            cll.ExactMatchLevel("house"),
            cll.CustomLevel(
                "road_l = road_r and abs(house_no_l - house_no_r) <= 2", "same road, number ±2"
            ),
            cll.ExactMatchLevel("road"),
            cll.ElseLevel(),
        ],
        output_column_name="address",
    )
    settings = SettingsCreator(
        link_type="link_only",
        unique_id_column_name="unique_id",
        comparisons=[
            name,
            address,
            cl.ExactMatch("room"),
            cl.ExactMatch("branch"),
            cl.ExactMatch("credit_code"),
        ],
        blocking_rules_to_generate_predictions=[
            block_on("credit_code"),
            block_on("road"),
            block_on("py_prefix"),
            block_on("house"),
        ],
        retain_intermediate_calculation_columns=False,
    )
    linker = Linker([left, right], settings, log_level=logging.WARNING)
    linker.training.estimate_probability_two_random_records_match(
        [block_on("credit_code"), block_on("name_core", "house")], recall=0.6
    )
    linker.training.estimate_u_using_random_sampling(max_pairs=2e6, seed=1)
    linker.training.estimate_parameters_using_expectation_maximisation(block_on("road"))
    linker.training.estimate_parameters_using_expectation_maximisation(block_on("name_py"))
    predictions = linker.inference.predict(threshold_match_probability=review_p)
    clusters = linker.clustering.cluster_using_single_best_links(
        predictions,
        duplicate_free_datasets=["ledger", "registry"],
        threshold_match_probability=match_p,
    )
    members: dict[str, dict[str, str]] = {}
    for row in clusters.as_record_list():
        members.setdefault(row["cluster_id"], {})[row["source_dataset"]] = row["unique_id"]
    out, matched_l, matched_r = [], set(), set()
    for m in members.values():
        if "ledger" in m and "registry" in m:
            out.append((m["ledger"], m["registry"], None, "match"))
            matched_l.add(m["ledger"])
            matched_r.add(m["registry"])
    preds = predictions.as_record_list()
    prob = {}
    for p in preds:
        lid, rid = (
            (p["unique_id_l"], p["unique_id_r"])
            if p["source_dataset_l"] == "ledger"
            else (p["unique_id_r"], p["unique_id_l"])
        )
        prob[(lid, rid)] = p["match_probability"]
    out = [(lid, rid, prob.get((lid, rid)), d) for lid, rid, _, d in out]
    reviews = Counter()
    for (lid, rid), p in sorted(prob.items(), key=lambda kv: -kv[1]):
        if lid in matched_l or rid in matched_r or reviews[lid] >= 3:
            continue
        reviews[lid] += 1
        out.append((lid, rid, p, "review"))
    return out


RUNNERS = {"jiequ": run_jiequ, "rapidfuzz": run_rapidfuzz, "splink": run_splink}
_IMPORTS = {
    "jiequ": ("jiequ.ledger.matching",),
    "rapidfuzz": ("rapidfuzz", "numpy"),
    "splink": ("splink", "pyarrow", "pypinyin", "duckdb"),
}


# --------------------------------------------------------------------------- measuring


def _rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def evaluate(pairs, data) -> dict:
    truth = data.truth
    matches = {(lid, rid) for lid, rid, _, d in pairs if d == "match"}
    reviewed = {(lid, rid) for lid, rid, _, d in pairs if d == "review"}
    tp = len(matches & truth)
    precision = tp / len(matches) if matches else 0.0
    recall = tp / len(truth) if truth else 0.0
    f1 = 2 * precision * recall / (precision + recall) if tp else 0.0
    matched_l = {lid for lid, _ in matches}
    review_only = {lid for lid, _ in reviewed} - matched_l
    true_of = dict(truth)
    by_tag, by_tag_n, false_by_tag = Counter(), Counter(), Counter()
    for lid, tags in data.tags.items():
        rid = true_of.get(lid)
        if rid is None:
            continue
        for t in tags or ["exact"]:
            by_tag_n[t] += 1
            if (lid, rid) in matches:
                by_tag[t] += 1
    for lid, _ in matches - truth:
        for t in data.tags.get(lid) or ["exact"]:
            false_by_tag[t] += 1
    return {
        "matches": len(matches),
        "true_matches": tp,
        "truth": len(truth),
        "precision": precision,
        "recall": recall,
        "f1": f1,
        "review_share": len(review_only) / len(data.ledger) if data.ledger else 0.0,
        "review_rows": len(reviewed),
        "found": len((matches | reviewed) & truth) / len(truth) if truth else 0.0,
        "recall_by_tag": {t: by_tag[t] / by_tag_n[t] for t in by_tag_n},
        "tag_counts": dict(by_tag_n),
        "false_matches_by_tag": dict(false_by_tag),
    }


def child(method: str, n_ledger: int, n_registry: int, seed: int) -> dict:
    t0 = time.perf_counter()
    data = ledger_data.generate_detailed(n_ledger, n_registry, seed)
    gen_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    for module in _IMPORTS[method]:
        __import__(module)
    import_s = time.perf_counter() - t0
    rss_before = _rss_mb()
    t0 = time.perf_counter()
    pairs = RUNNERS[method](data.ledger, data.registry)
    seconds = time.perf_counter() - t0
    peak = _rss_mb()
    result = {
        "method": method,
        "seed": seed,
        "n_ledger": n_ledger,
        "n_registry": n_registry,
        "status": "ok",
        "seconds": seconds,
        "generate_seconds": gen_s,
        "import_seconds": import_s,
        "rss_before_mb": rss_before,
        "peak_rss_mb": peak,
    }
    result |= evaluate(pairs, data)
    return result


def spawn(method, n_ledger, n_registry, seed, timeout) -> dict:
    cmd = [sys.executable, __file__, "--method", method, "--seed", str(seed)]
    cmd += ["--n-ledger", str(n_ledger), "--n-registry", str(n_registry)]
    env = os.environ | {"PYTHONHASHSEED": "0", "NO_PROXY": "*"}
    base = {"method": method, "seed": seed, "n_ledger": n_ledger, "n_registry": n_registry}
    try:
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, env=env)
    except subprocess.TimeoutExpired:
        return base | {"status": f"timed out after {timeout:.0f} s"}
    for line in proc.stdout.splitlines():
        if line.startswith(RESULT_PREFIX):
            return json.loads(line[len(RESULT_PREFIX) :])
    tail = (proc.stderr or proc.stdout).strip().splitlines()[-3:]
    return base | {"status": "failed: " + " / ".join(tail)}


# --------------------------------------------------------------------------- report


def _fmt_row(r: dict, ref: dict | None) -> str:
    if r["status"] != "ok":
        return f"| {r['method']} | {r['seed']} | {r['status']} |" + " |" * 8
    ratio = diff = "—"
    if ref and ref.get("status") == "ok" and r is not ref:
        ratio = f"{r['seconds'] / ref['seconds']:.1f}×"
        diff = f"{(r['f1'] - ref['f1']) * 100:+.1f}"
    return (
        f"| {r['method']} | {r['seed']} | {r['precision']:.3f} | {r['recall']:.3f} "
        f"| {r['f1']:.3f} | {diff} | {r['review_share']:.1%} | {r['found']:.3f} "
        f"| {r['seconds']:.2f} | {ratio} | {r['peak_rss_mb']:.0f} ({r['rss_before_mb']:.0f}) |"
    )


def report(results: list[dict]) -> str:
    lines = [
        "| method | seed | precision | recall | F1 | ΔF1 vs Jiequ (pts) | review share "
        "| found (match+review) | time s | time vs Jiequ | peak RSS MB (before) |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    ref = {r["seed"]: r for r in results if r["method"] == "jiequ"}
    for r in results:
        lines.append(_fmt_row(r, ref.get(r["seed"])))
    ok = [r for r in results if r["status"] == "ok"]
    if ok:
        tags = sorted(
            {t for r in ok for t in r["recall_by_tag"]},
            key=lambda t: -ok[0]["tag_counts"].get(t, 0),
        )
        lines += [
            "",
            "Recall of the match decisions by kind of difference (true pairs):",
            "",
        ]
        lines.append("| kind | " + " | ".join(f"{r['method']} s{r['seed']}" for r in ok) + " |")
        lines.append("| --- |" + " ---: |" * len(ok))
        for t in tags:
            cells = [f"{r['recall_by_tag'].get(t, float('nan')):.3f}" for r in ok]
            lines.append(f"| {t} ({ok[0]['tag_counts'].get(t, 0)}) | " + " | ".join(cells) + " |")
        lines += ["", "False matches by kind (a ledger row can carry several tags):", ""]
        lines.append("| kind | " + " | ".join(f"{r['method']} s{r['seed']}" for r in ok) + " |")
        lines.append("| --- |" + " ---: |" * len(ok))
        fk = sorted({t for r in ok for t in r["false_matches_by_tag"]})
        for t in fk:
            cells = [str(r["false_matches_by_tag"].get(t, 0)) for r in ok]
            lines.append(f"| {t} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--scale", action="store_true", help="Jiequ alone on 300,000 × 300,000")
    p.add_argument("--method", choices=METHODS, help="(internal) run one method and print JSON")
    p.add_argument("--methods", default=",".join(METHODS))
    p.add_argument("--seeds", default="1,2")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--n-ledger", type=int, default=2000)
    p.add_argument("--n-registry", type=int, default=2500)
    p.add_argument("--timeout", type=float, default=600, help="seconds per method run")
    p.add_argument("--repeat", type=int, default=3, help="runs per method and seed; best time")
    p.add_argument("--json", help="also write the raw results to this file")
    a = p.parse_args(argv)

    if a.method:
        print(RESULT_PREFIX + json.dumps(child(a.method, a.n_ledger, a.n_registry, a.seed)))
        return 0

    results = []
    if a.scale:
        n = 300_000
        print(f"Jiequ match_records on {n:,} × {n:,} (targets: < 120 s, < 4 GB) …", flush=True)
        r = spawn("jiequ", n, n, a.seed, max(a.timeout, 900))
        results.append(r)
        if r["status"] == "ok":
            print(
                f"time {r['seconds']:.1f} s (generation {r['generate_seconds']:.1f} s, not "
                f"counted); peak RSS {r['peak_rss_mb']:.0f} MB (before matching "
                f"{r['rss_before_mb']:.0f} MB); P {r['precision']:.3f} R {r['recall']:.3f} "
                f"F1 {r['f1']:.3f}; review share {r['review_share']:.1%}"
            )
        else:
            print(r["status"])
    else:
        for seed in (int(s) for s in a.seeds.split(",")):
            for method in a.methods.split(","):
                print(f"… {method} seed {seed}", file=sys.stderr, flush=True)
                runs = [
                    spawn(method, a.n_ledger, a.n_registry, seed, a.timeout)
                    for _ in range(a.repeat)
                ]
                ok = [r for r in runs if r["status"] == "ok"]
                if ok:  # fastest run; quality is identical between runs (deterministic)
                    best = min(ok, key=lambda r: r["seconds"])
                    best["seconds_all"] = [r["seconds"] for r in ok]
                    best["peak_rss_mb"] = max(r["peak_rss_mb"] for r in ok)
                    results.append(best)
                else:
                    results.append(runs[0])
        print(f"Ledger {a.n_ledger:,} × registry {a.n_registry:,}; best of {a.repeat} runs\n")
        print(report(results))
    if a.json:
        Path(a.json).write_text(json.dumps(results, ensure_ascii=False, indent=1), "utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
