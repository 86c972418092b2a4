"""The default case taxonomy (诉求分类): two levels, 大类 → 小类.

City management splits what it handles into components (部件: a thing in the street that is
broken, missing or misplaced — a manhole cover, a street lamp) and events (事件: something
happening — rubbish dumped, a stall without a licence), following the grid-management standard
of Shanghai's city operations. The demands of shops and workers that are neither (licences,
hiring, off-peak parking, disputes) are service or business matters.

The tree is data: admins add, rename and retire categories on the taxonomy page. The initial
migration loads this list; `load_default()` adds what is missing and never overwrites a name an
admin changed.
"""

from __future__ import annotations

from typing import Any

COMPONENT, EVENT, SERVICE = "component", "event", "service"

# (code, name, kind, [(code, name), …])
DEFAULT_TAXONOMY: list[tuple[str, str, str, list[tuple[str, str]]]] = [
    (
        "C01",
        "公用设施",
        COMPONENT,
        [
            ("C0101", "上水井盖"),
            ("C0102", "污水井盖"),
            ("C0103", "雨水井盖、雨水箅子"),
            ("C0104", "电力、通信井盖"),
            ("C0105", "路灯"),
            ("C0106", "消防栓"),
            ("C0107", "通信交接箱、配电箱"),
        ],
    ),
    (
        "C02",
        "道路交通",
        COMPONENT,
        [
            ("C0201", "交通信号灯"),
            ("C0202", "交通标志牌"),
            ("C0203", "道路护栏、隔离墩"),
            ("C0204", "人行道板、盲道"),
            ("C0205", "公交站亭"),
            ("C0206", "非机动车停放点"),
        ],
    ),
    (
        "C03",
        "市容环境设施",
        COMPONENT,
        [
            ("C0301", "垃圾箱房、废物箱"),
            ("C0302", "公共厕所"),
            ("C0303", "户外广告设施、店招"),
            ("C0304", "宣传栏、信息亭"),
        ],
    ),
    (
        "C04",
        "园林绿化",
        COMPONENT,
        [
            ("C0401", "行道树"),
            ("C0402", "绿地、花坛"),
        ],
    ),
    (
        "C05",
        "房屋与其他设施",
        COMPONENT,
        [
            ("C0501", "建筑外立面、空调外机"),
            ("C0502", "监控设施"),
            ("C0503", "充电设施"),
        ],
    ),
    (
        "E01",
        "市容环境",
        EVENT,
        [
            ("E0101", "暴露垃圾、积存垃圾"),
            ("E0102", "乱堆物堆料"),
            ("E0103", "乱张贴、乱涂写"),
            ("E0104", "跨门营业、店外经营"),
            ("E0105", "餐饮油烟"),
            ("E0106", "垃圾分类投放与收运"),
        ],
    ),
    (
        "E02",
        "街面秩序",
        EVENT,
        [
            ("E0201", "无证设摊"),
            ("E0202", "非机动车乱停放"),
            ("E0203", "机动车违停"),
            ("E0204", "共享单车堆积"),
        ],
    ),
    (
        "E03",
        "施工管理",
        EVENT,
        [
            ("E0301", "施工扰民"),
            ("E0302", "道路开挖未恢复"),
            ("E0303", "渣土撒落"),
        ],
    ),
    (
        "E04",
        "突发事件与安全隐患",
        EVENT,
        [
            ("E0401", "路面塌陷、积水"),
            ("E0402", "管道破裂、停水停电"),
            ("E0403", "消防安全隐患"),
            ("E0404", "高空坠物隐患"),
        ],
    ),
    (
        "E05",
        "噪声扰民",
        EVENT,
        [
            ("E0501", "商业经营噪声"),
            ("E0502", "社会生活噪声"),
        ],
    ),
    (
        "S01",
        "经营服务",
        SERVICE,
        [
            ("S0101", "证照办理"),
            ("S0102", "政策咨询"),
            ("S0103", "融资需求"),
            ("S0104", "招工用工"),
            ("S0105", "房租与物业"),
        ],
    ),
    (
        "S02",
        "停车与交通组织",
        SERVICE,
        [
            ("S0201", "错峰停车"),
            ("S0202", "装卸货临时停靠"),
            ("S0203", "道路交通组织"),
        ],
    ),
    (
        "S03",
        "公共服务",
        SERVICE,
        [
            ("S0301", "水电气与网络"),
            ("S0302", "环卫保洁"),
            ("S0303", "便民设施"),
        ],
    ),
    (
        "S04",
        "矛盾纠纷",
        SERVICE,
        [
            ("S0401", "商户与居民矛盾"),
            ("S0402", "消费纠纷"),
            ("S0403", "劳动纠纷"),
        ],
    ),
    (
        "S05",
        "党建与阵地服务",
        SERVICE,
        [
            ("S0501", "活动场地"),
            ("S0502", "党员与从业人员服务"),
        ],
    ),
]


def load_default(category_model: Any) -> int:
    """Create the default categories that are missing (by code); returns how many were made.

    Takes the model class, so the data migration can pass its historical model.
    """
    existing = dict(category_model.objects.values_list("code", "pk"))
    made = 0
    for code, name, kind, children in DEFAULT_TAXONOMY:
        parent_pk = existing.get(code)
        if parent_pk is None:
            parent_pk = category_model.objects.create(code=code, name=name, kind=kind).pk
            existing[code] = parent_pk
            made += 1
        for child_code, child_name in children:
            if child_code in existing:
                continue
            existing[child_code] = category_model.objects.create(
                code=child_code, name=child_name, kind=kind, parent_id=parent_pk
            ).pk
            made += 1
    return made
