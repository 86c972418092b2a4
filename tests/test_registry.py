"""The data chain: department extracts imported all-or-nothing, linked, reviewed, compared."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from jiequ.ledger import reconcile
from jiequ.ledger.models import (
    Entity,
    LinkState,
    RegistryImport,
    RegistryRecord,
    RegistrySource,
)

from .factories import EntityFactory

HEADER = "注册号,企业名称,统一社会信用代码,住所"
CODE_A = "91350100M000100Y43"
CODE_B = "91110000600037341L"


def extract(*rows, name="market.csv"):
    return SimpleUploadedFile(name, "\n".join([HEADER, *rows]).encode("utf-8-sig"))


@pytest.fixture
def source(world):
    return RegistrySource.objects.create(
        subdistrict=world.ours, name="市场监管局企业登记", department="market_supervision"
    )


@pytest.fixture
def ledger(world):
    return {
        "coded": EntityFactory(
            name="上海鸿睿餐饮管理有限公司",
            credit_code=CODE_A,
            region=world.grid_sw,
            address="上海市静安区石门二路100号",
        ),
        "shop": EntityFactory(
            name="",
            sign_name="云帆咖啡",
            region=world.grid_e,
            address="上海市静安区新闸路200号",
        ),
    }


FIRST = [
    f"R1,上海鸿睿餐饮管理有限公司,{CODE_A},上海市静安区石门二路100号",
    f"R2,上海云帆餐饮管理有限公司新闸路店,{CODE_B},上海市静安区新闸路200号",
    "R3,上海远方贸易有限公司,,上海市静安区康定路5号",
]


def test_import_links_by_code_and_name_and_proposes_new(world, users, login, source, ledger):
    client = login(users.staff)
    response = client.post(
        reverse("ledger:registry_source_import", args=[source.pk]), {"file": extract(*FIRST)}
    )
    assert response.status_code == 302
    records = {r.external_id: r for r in RegistryRecord.objects.all()}
    assert records["R1"].link_state == LinkState.AUTO and records["R1"].entity == ledger["coded"]
    # the shop-sign name is the trade name of the registered name: linked, or offered for review
    assert records["R2"].link_state in (LinkState.AUTO, LinkState.REVIEW)
    assert ledger["shop"].pk in [c[0] for c in records["R2"].candidates]
    assert records["R3"].link_state == LinkState.NEW and records["R3"].entity is None


def test_a_bad_row_imports_nothing_and_says_why(world, users, login, source, ledger):
    rows = [FIRST[0], f"R2,坏公司,{CODE_B[:-1]}X,某地址", "R1,重复,,某地址", ",无编号,,"]
    response = login(users.staff).post(
        reverse("ledger:registry_source_import", args=[source.pk]), {"file": extract(*rows)}
    )
    assert response.status_code == 400
    rows_with_errors = {e.row for e in response.context["errors"]}
    assert rows_with_errors == {3, 4, 5}
    assert "校验位" in response.content.decode()
    assert not RegistryRecord.objects.exists() and not RegistryImport.objects.exists()


def test_same_file_twice_changes_nothing(world, users, login, source, ledger):
    client = login(users.staff)
    url = reverse("ledger:registry_source_import", args=[source.pk])
    client.post(url, {"file": extract(*FIRST)})
    again = client.post(url, {"file": extract(*FIRST)}, follow=True)
    assert RegistryImport.objects.count() == 1
    assert "该文件此前已导入，没有变化。" in again.content.decode()


def test_second_extract_shows_what_changed_and_flags_closures(world, users, login, source, ledger):
    client = login(users.staff)
    url = reverse("ledger:registry_source_import", args=[source.pk])
    client.post(url, {"file": extract(*FIRST)})
    second = [
        f"R2,上海云帆餐饮管理有限公司新闸路店,{CODE_B},上海市静安区新闸路202号",  # moved
        "R3,上海远方贸易有限公司,,上海市静安区康定路5号",
        "R4,上海新开文化传播有限公司,,上海市静安区泰兴路8号",  # new
    ]  # R1 (linked to the coded entity) is gone: possibly closed
    response = client.post(url, {"file": extract(*second, name="market-2.csv")})
    latest = RegistryImport.objects.latest("created_at")
    assert response["Location"] == reverse("ledger:registry_import", args=[latest.pk])
    assert (latest.created, latest.updated, latest.unchanged, latest.removed) == (1, 1, 1, 1)
    page = client.get(response["Location"]).content.decode()
    assert "上海新开文化传播有限公司" in page and "新闸路202号" in page
    closed = reconcile.possibly_closed(Entity.objects.all())
    assert list(closed) == [ledger["coded"]]
    listed = client.get(reverse("ledger:entity_list"), {"possibly_closed": "true"})
    assert {o for o, _c in listed.context["rows"]} == {ledger["coded"]}


def test_review_decisions_stick(world, users, login, source, ledger):
    client = login(users.staff)
    client.post(
        reverse("ledger:registry_source_import", args=[source.pk]), {"file": extract(*FIRST)}
    )
    record = RegistryRecord.objects.get(external_id="R3")
    page = client.get(reverse("ledger:registry_review", args=[source.pk]), {"state": "new"})
    assert "上海远方贸易有限公司" in page.content.decode()
    client.post(reverse("ledger:registry_decide", args=[record.pk]), {"entity": ledger["shop"].pk})
    record.refresh_from_db()
    assert record.link_state == LinkState.CONFIRMED and record.entity == ledger["shop"]
    reconcile.reconcile(source)  # the matcher never overrides a person's decision
    record.refresh_from_db()
    assert record.link_state == LinkState.CONFIRMED and record.entity == ledger["shop"]


def test_column_mapping_saved_per_source(world, users, login, ledger):
    client = login(users.staff)
    client.post(
        reverse("ledger:registry_source_add"),
        {
            "name": "民政局社会组织",
            "department": "civil_affairs",
            "header_external_id": "登记证号",
            "header_name": "社会组织名称",
            "header_credit_code": "",
            "header_address": "住所",
        },
    )
    source = RegistrySource.objects.get(name="民政局社会组织")
    assert source.column_map == {
        "external_id": "登记证号",
        "name": "社会组织名称",
        "address": "住所",
    }
    assert source.subdistrict == world.ours
    upload = SimpleUploadedFile(
        "org.csv",
        "登记证号,社会组织名称,住所\nS1,上海市静安区某某公益发展中心,泰兴路1号\n".encode(),
    )
    client.post(reverse("ledger:registry_source_import", args=[source.pk]), {"file": upload})
    assert source.records.get().name == "上海市静安区某某公益发展中心"
    missing = SimpleUploadedFile("x.csv", "编号,名字\n1,a\n".encode())
    response = client.post(
        reverse("ledger:registry_source_import", args=[source.pk]), {"file": missing}
    )
    assert response.status_code == 400 and "登记证号" in response.context["file_error"]


def test_scope_of_the_chain(world, users, login, source):
    assert (
        login(users.other_admin)
        .get(reverse("ledger:registry_source", args=[source.pk]))
        .status_code
        == 404
    )
    assert login(users.grid).get(reverse("ledger:registry_source_list")).status_code == 403
    assert (
        login(users.district)
        .post(reverse("ledger:registry_source_import", args=[source.pk]), {"file": extract(*FIRST)})
        .status_code
        == 403
    )
