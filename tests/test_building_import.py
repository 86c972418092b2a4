"""Bulk import of buildings: all-or-nothing, row-by-row errors in Chinese, idempotent."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from jiequ.areas.models import Building

URL = reverse("areas:building_import")
HEADER = ["名称", "类型", "道路", "门牌号", "地址", "层数", "纬度", "经度"]
GOOD_ROWS = [
    ["新闸大厦", "商务楼宇", "石门二路", "88号", "", "12", "31.2320", "121.4550"],
    ["江宁商厦", "office", "", "", "上海市静安区江宁路1号", "20", "31.2400", "121.4650"],
]


def csv_file(rows, header=HEADER, name="buildings.csv", encoding="utf-8-sig"):
    text = "\n".join(",".join(map(str, r)) for r in [header, *rows])
    return SimpleUploadedFile(name, text.encode(encoding), content_type="text/csv")


def xlsx_file(rows, header=HEADER, name="buildings.xlsx"):
    wb = Workbook()
    ws = wb.active
    ws.append(header)
    for r in rows:
        ws.append(r)
    buffer = io.BytesIO()
    wb.save(buffer)
    return SimpleUploadedFile(name, buffer.getvalue())


@pytest.fixture
def staff_client(users, login):
    return login(users.staff)


def history_rows():
    return Building.history.count()


@pytest.mark.parametrize("make_file", [csv_file, xlsx_file])
def test_import_creates_rows_and_reports(world, staff_client, make_file):
    response = staff_client.post(URL, {"file": make_file(GOOD_ROWS)})
    assert response.status_code == 200
    page = response.content.decode()
    assert "已导入 2 行：新建 2 条，更新 0 条，未变化 0 条。" in page
    building = Building.objects.get(name="新闸大厦")
    assert building.region == world.grid_sw
    assert building.road == world.road
    assert building.address == "石门二路88号"
    assert Building.objects.get(name="江宁商厦").region == world.grid_e
    assert response.context["result"].created == 2


def test_reimporting_the_same_file_changes_nothing(world, staff_client):
    staff_client.post(URL, {"file": csv_file(GOOD_ROWS)})
    before = history_rows()
    stamps = dict(Building.objects.values_list("name", "updated_at"))
    response = staff_client.post(URL, {"file": csv_file(GOOD_ROWS)})
    result = response.context["result"]
    assert (result.created, result.updated, result.unchanged) == (0, 0, 2)
    assert history_rows() == before
    assert dict(Building.objects.values_list("name", "updated_at")) == stamps


def test_a_changed_row_updates_its_record(world, staff_client):
    staff_client.post(URL, {"file": csv_file(GOOD_ROWS)})
    changed = [GOOD_ROWS[0][:5] + ["15"] + GOOD_ROWS[0][6:], GOOD_ROWS[1]]
    result = staff_client.post(URL, {"file": csv_file(changed)}).context["result"]
    assert (result.created, result.updated, result.unchanged) == (0, 1, 1)
    assert Building.objects.get(name="新闸大厦").floors == 15


def test_one_bad_row_saves_nothing_and_names_each_error(world, staff_client):
    rows = [
        GOOD_ROWS[0],
        ["坏楼一", "写字楼", "", "", "某地址", "很多", "31.2320", "121.4550"],
        ["坏楼二", "office", "", "", "某地址", "10", "31.9000", "121.4550"],
        ["坏楼三", "office", "不存在路", "1号", "", "10", "31.2320", "121.4550"],
    ]
    count = Building.objects.count()
    response = staff_client.post(URL, {"file": csv_file(rows)})
    assert response.status_code == 400
    assert Building.objects.count() == count
    errors = response.context["result"].errors
    by_row = {}
    for e in errors:
        by_row.setdefault(e.row, e)
    assert set(by_row) == {3, 4, 5}
    page = response.content.decode()
    assert "未导入任何数据" in page
    assert "类型" in page and "层数" in page  # the columns are named in Chinese
    assert "不在任何网格内" in by_row[4].message
    assert "不存在路" in by_row[5].message


def test_a_row_outside_the_users_scope_is_refused(world, users, login):
    client = login(users.staff)
    rows = [["越界大厦", "office", "", "", "某地址", "10", "31.2250", "121.4550"]]
    response = client.post(URL, {"file": csv_file(rows)})
    assert response.status_code == 400
    assert "管辖范围" in response.context["result"].errors[0].message
    assert not Building.objects.filter(name="越界大厦").exists()


def test_duplicate_rows_in_one_file(world, staff_client):
    response = staff_client.post(URL, {"file": csv_file([GOOD_ROWS[0], GOOD_ROWS[0]])})
    assert response.status_code == 400
    assert response.context["result"].errors[0].row == 3
    assert not Building.objects.filter(name="新闸大厦").exists()


@pytest.mark.parametrize(
    "upload, expected",
    [
        (SimpleUploadedFile("x.pdf", b"%PDF-1.4"), "仅支持"),
        (SimpleUploadedFile("x.xlsx", b"not a zip file"), "Excel"),
        (SimpleUploadedFile("x.csv", b""), "文件为空"),
        (SimpleUploadedFile("x.csv", "名称,层数\n".encode()), "没有数据行"),
        (SimpleUploadedFile("x.csv", b"\xff\xfe\x00\x00garbage\x00\x81"), "CSV"),
    ],
)
def test_malformed_files_get_a_clear_message(world, staff_client, upload, expected):
    count = Building.objects.count()
    response = staff_client.post(URL, {"file": upload})
    assert response.status_code == 400
    assert expected in response.context["file_error"]
    assert Building.objects.count() == count


def test_unknown_and_missing_columns(world, staff_client):
    response = staff_client.post(URL, {"file": csv_file([["a", "1"]], header=["名称", "颜色"])})
    assert "颜色" in response.context["file_error"]
    response = staff_client.post(URL, {"file": csv_file([["a"]], header=["名称"])})
    assert "层数" in response.context["file_error"]  # the missing required column, by name


def test_gbk_csv_from_excel_is_read(world, staff_client):
    response = staff_client.post(URL, {"file": csv_file(GOOD_ROWS, encoding="gb18030")})
    assert response.status_code == 200
    assert Building.objects.filter(name="新闸大厦").exists()


def test_no_file_chosen(world, staff_client):
    response = staff_client.post(URL, {})
    assert response.status_code == 400
    assert response.context["file_error"]


def test_export_then_import_round_trips_unchanged(world, staff_client):
    exported = staff_client.get(reverse("areas:building_export") + "?format=xlsx").content
    upload = SimpleUploadedFile("export.xlsx", exported)
    result = staff_client.post(URL, {"file": upload}).context["result"]
    assert result.ok, result.errors
    assert (result.created, result.updated) == (0, 0)
    assert result.unchanged == 3


def test_template_download_has_the_import_headers(world, staff_client):
    response = staff_client.get(reverse("areas:building_export") + "?format=xlsx&template=1")
    ws = load_workbook(io.BytesIO(response.content)).active
    rows = list(ws.iter_rows(values_only=True))
    assert len(rows) == 1
    assert set(HEADER) <= set(rows[0])


def test_import_needs_the_import_right(world, users, login):
    client = login(users.grid)
    assert client.post(URL, {"file": csv_file(GOOD_ROWS)}).status_code == 403
    assert not Building.objects.filter(name="新闸大厦").exists()
