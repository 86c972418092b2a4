"""The demo's market-supervision extracts: one reconciled, a second with changes to review."""

from __future__ import annotations

import csv
import io
import random

from django.core.files.base import ContentFile

from jiequ.accounts.models import User
from jiequ.areas.models import Region
from jiequ.ledger import reconcile
from jiequ.ledger.models import Entity, LinkState, RegistrySource

from .ledger import credit_code

HEADER = ["注册号", "企业名称", "统一社会信用代码", "住所"]


def _csv(rows: list[list[str]], name: str) -> ContentFile:
    text = io.StringIO()
    writer = csv.writer(text)
    writer.writerow(HEADER)
    writer.writerows(rows)
    return ContentFile(("\ufeff" + text.getvalue()).encode(), name=name)


def build_registry(subdistrict: Region, rng: random.Random) -> RegistrySource:
    staff = User.objects.filter(scope_region=subdistrict, role="subdistrict_staff").first()
    source = RegistrySource.objects.create(
        subdistrict=subdistrict, name="市场监管局市场主体登记", department="market_supervision"
    )
    registered = list(
        Entity.objects.filter(region__path__startswith=subdistrict.path)
        .exclude(name="")
        .order_by("pk")
    )
    rows = []
    for i, entity in enumerate(registered, start=1):
        # The department omits the credit code of some older records.
        code = entity.credit_code if rng.random() > 0.1 else ""
        rows.append([f"SH{i:06d}", entity.name, code, entity.address])
    first = _csv(rows, "市场监管-第一批.csv")
    reconcile.import_extract(source, first, staff)
    # Everything the matcher was unsure of in the first extract has been settled by staff.
    for record in source.records.filter(link_state=LinkState.REVIEW):
        best = record.candidates[0][0] if record.candidates else None
        reconcile.decide(record, Entity.objects.filter(pk=best).first())

    second = [list(r) for r in rows]
    for row in rng.sample(second, 25):  # moved within the subdistrict
        row[3] = row[3].replace("号", f"-{rng.randint(1, 9)}号", 1)
    for row in rng.sample(second, 12):  # trade names shortened in the new extract
        row[1] = row[1].replace("有限公司", "").replace("上海", "")
        row[2] = ""
    for row in rng.sample(second, 10):  # a typo, no code and a new number: for a person to judge
        name = row[1]
        start = len("上海市静安区") if name.startswith("上海市静安区") else len("上海")
        if len(name) > start + 2:
            row[1] = name[: start + 1] + rng.choice("睿瑞锐蕊") + name[start + 2 :]
        row[2] = ""
        row[3] = row[3].replace("号", "0号", 1)
    closed = set(rng.sample(range(len(second)), 15))
    second = [row for i, row in enumerate(second) if i not in closed]
    for j in range(20):  # newly registered businesses
        second.append(
            [
                f"SH9{j:05d}",
                f"上海新{rng.choice('锐达诚越')}{j}号文化科技有限公司",
                credit_code(rng),
                f"上海市静安区江宁路{rng.randint(1, 900)}号",
            ]
        )
    reconcile.import_extract(source, _csv(second, "市场监管-第二批.csv"), staff)
    return source
