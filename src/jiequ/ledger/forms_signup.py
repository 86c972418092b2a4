from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from jiequ.core.validators import normalise_phone

from .models import Membership

CONSENT_TEXT = _(
    "I agree that the subdistrict Party working committee keeps the information above to "
    "contact me and to connect me with a Party organisation. It is not shared outside the "
    "Party organisations, and I can ask for it to be deleted at any time."
)

PROVINCES = [
    "北京",
    "天津",
    "河北",
    "山西",
    "内蒙古",
    "辽宁",
    "吉林",
    "黑龙江",
    "上海",
    "江苏",
    "浙江",
    "安徽",
    "福建",
    "江西",
    "山东",
    "河南",
    "湖北",
    "湖南",
    "广东",
    "广西",
    "海南",
    "重庆",
    "四川",
    "贵州",
    "云南",
    "西藏",
    "陕西",
    "甘肃",
    "青海",
    "宁夏",
    "新疆",
    "香港",
    "澳门",
    "台湾",
]


class SignupForm(forms.Form):
    name = forms.CharField(label=_("full name"), max_length=50)
    phone = forms.CharField(
        label=_("mobile phone"),
        max_length=20,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
    )
    membership = forms.ChoiceField(
        label=_("membership"), choices=Membership.choices, widget=forms.RadioSelect
    )
    record_organisation = forms.CharField(
        label=_("organisation holding your membership record"),
        max_length=100,
        help_text=_("e.g. 中共安徽省合肥市某某社区委员会"),
    )
    record_province = forms.ChoiceField(
        label=_("province"), choices=[("", "—"), *((p, p) for p in PROVINCES)]
    )
    record_city = forms.CharField(label=_("city"), max_length=20)
    workplace = forms.CharField(label=_("workplace"), max_length=200, required=False)
    consent = forms.BooleanField(label=CONSENT_TEXT)
    # Bots fill every field; people never see this one.
    website = forms.CharField(required=False, widget=forms.HiddenInput)

    def clean_phone(self) -> str:
        return normalise_phone(self.cleaned_data["phone"])

    def clean_name(self) -> str:
        name = self.cleaned_data["name"].strip()
        if len(name) < 2:
            raise forms.ValidationError(_("Write your full name."))
        return name
