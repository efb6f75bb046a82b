"""Fuzhou's 六个一: each industry's responsible units, who keeps its lists, edits with audit, the API, Excel."""

from __future__ import annotations

import datetime as dt
import io
import json

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from openpyxl import load_workbook

from xiandao.accounts.models import Organisation, Role, ScopeKind
from xiandao.accounts.tests.factories import RoleAssignmentFactory, UserFactory
from xiandao.core.models import AuditEntry
from xiandao.programmes.models import Programme
from xiandao.supervision import selectors, services
from xiandao.supervision.models import SixListEntry

pytestmark = pytest.mark.django_db

FIELD = "optoelectronics"  # 新一代光电: 责任单位：市工信局、市发改委、市科技局 (三（二）1)


@pytest.fixture
def fuzhou(shipped_programmes):
    return Programme.objects.get(code="fuzhou")


def _unit(fuzhou, name):
    from xiandao.accounts.selectors import organisation_resolve

    organisation = organisation_resolve(name, within=fuzhou.jurisdiction)
    assert organisation is not None, name
    return organisation


def _officer(organisation):
    user = UserFactory(organisation=organisation)
    RoleAssignmentFactory(
        user=user,
        role=Role.DEPARTMENT_OFFICER,
        scope_kind=ScopeKind.ORGANISATION,
        jurisdiction=None,
        organisation=organisation,
        valid_from=dt.date(2020, 1, 1),
    )
    return user


@pytest.fixture
def people(fuzhou):
    admin_org = Organisation.objects.get(pk=fuzhou.admin_organisation_id)
    admin = UserFactory(organisation=admin_org)
    RoleAssignmentFactory(
        user=admin,
        role=Role.PROGRAMME_ADMIN,
        scope_kind=ScopeKind.JURISDICTION,
        jurisdiction=fuzhou.jurisdiction,
        valid_from=dt.date(2020, 1, 1),
    )
    return {
        "admin": admin,
        "miit": _officer(_unit(fuzhou, "市工信局")),  # leads 新一代光电 (named first)
        "sti": _officer(_unit(fuzhou, "市科技局")),  # also responsible for it
        "commerce": _officer(
            _unit(fuzhou, "市商务局")
        ),  # joins 元宇宙 only: follows Fuzhou, keeps no 光电 list
    }


def _audits(entry, action):
    return AuditEntry.objects.filter(
        object_type__icontains="sixlistentry", object_id=str(entry.pk), action=action
    )


# --- responsible units ---------------------------------------------------------------------------------


def test_an_industrys_responsible_units_are_its_tasks_lead_units_in_the_documents_order(fuzhou):
    industries = {i.code: i for i in selectors.six_list_industries(fuzhou)}
    assert len(industries) == 9  # “1+6+2”
    assert [u.name for u in industries[FIELD].units] == [
        _unit(fuzhou, n).name for n in ("市工信局", "市发改委", "市科技局")
    ]
    assert industries[FIELD].source == "tasks"
    assert industries["quantum"].lead == _unit(fuzhou, "市大数据委")
    # 前沿新材料: the county governments and the high-tech zone implement every task (the standing
    # clause) and keep no list; the three city departments do.
    assert [u.name for u in industries["frontier-materials"].units] == [
        _unit(fuzhou, n).name for n in ("市工信局", "市科技局", "市发改委")
    ]


def test_the_definition_overrides_an_industrys_responsible_units(fuzhou):
    fuzhou.supervision = {
        **(fuzhou.supervision or {}),
        "six_list_units": [{"field": FIELD, "units": ["市商务局", "市招商服务中心", "不存在的单位"]}],
    }
    fuzhou.save(update_fields=["supervision"])
    industry = selectors.six_list_industry(fuzhou, FIELD)
    assert industry is not None
    assert industry.source == "definition"
    assert industry.lead == _unit(fuzhou, "市商务局")
    assert industry.unresolved == ("不存在的单位",)
    quantum = selectors.six_list_industry(fuzhou, "quantum")
    assert quantum is not None and quantum.source == "tasks"  # the others unchanged


def test_the_override_is_part_of_the_definition_schema_and_checked():
    from xiandao.programmes.definition import dump_definition, parse_definition
    from xiandao.programmes.tests.support import programme

    defn = programme("fuzhou")
    data = defn.model_dump(mode="python", exclude_defaults=True)
    data["supervision"]["six_list_units"] = [{"field": FIELD, "units": ["市商务局"]}]
    changed = type(defn).model_validate(data)
    text = dump_definition(changed)
    assert "six_list_units" in text
    assert parse_definition(text, filename="fuzhou.yaml") == changed
    data["supervision"]["six_list_units"] = [{"field": "no-such-field", "units": ["市商务局"]}]
    with pytest.raises(Exception, match="未知领域编码“no-such-field”"):
        type(defn).model_validate(data)


# --- who keeps the lists ---------------------------------------------------------------------------------


def test_the_responsible_units_officer_and_the_admin_keep_the_lists_others_only_read(
    fuzhou, people, personas
):
    entry = services.six_list_entry_add(
        actor=people["miit"],
        programme=fuzhou,
        field_code=FIELD,
        list_kind="investment",
        name="深圳某光模块企业",
        region="深圳",
    )
    assert entry.keeper == _unit(fuzhou, "市工信局")  # the officer's own unit
    assert _audits(entry, "supervision.six_list.added").count() == 1
    by_admin = services.six_list_entry_add(
        actor=people["admin"],
        programme=fuzhou,
        field_code=FIELD,
        list_kind="advisors",
        name="光电产业战略咨询中心",
        keeper=_unit(fuzhou, "市科技局"),  # the admin chooses among the responsible units
    )
    assert by_admin.keeper == _unit(fuzhou, "市科技局")
    with pytest.raises(PermissionDenied, match="只有产业“新一代光电”的责任单位（福州市工业和信息化局"):
        services.six_list_entry_add(
            actor=people["commerce"], programme=fuzhou, field_code=FIELD, list_kind="advisors", name="x"
        )
    with pytest.raises(PermissionDenied, match="责任单位"):
        services.six_list_entry_add(
            actor=personas["national_observer"],
            programme=fuzhou,
            field_code=FIELD,
            list_kind="advisors",
            name="x",
        )
    # An officer keeps as their own unit only, never as another responsible unit.
    with pytest.raises(ValidationError, match="维护单位须为"):
        services.six_list_entry_add(
            actor=people["miit"],
            programme=fuzhou,
            field_code=FIELD,
            list_kind="advisors",
            name="x",
            keeper=_unit(fuzhou, "市科技局"),
        )
    # An officer of another responsible unit changes what their unit keeps, not this one.
    with pytest.raises(PermissionDenied, match=r"该条目由.*维护"):
        services.six_list_entry_change(
            actor=people["sti"], entry=entry, name="改名", region="深圳", expected_version=entry.version
        )
    # Anhui's admin does not even see Fuzhou.
    from django.http import Http404

    with pytest.raises(Http404):
        services.six_list_entry_add(
            actor=personas["province_admin"],
            programme=fuzhou,
            field_code=FIELD,
            list_kind="advisors",
            name="x",
        )
    assert SixListEntry.objects.filter(programme=fuzhou).count() == 2
    lists = {c.kind: c for c in selectors.six_lists(fuzhou, FIELD, personas["national_observer"])}
    assert [r.name for r in lists["investment"].rows] == ["深圳某光模块企业"]
    assert lists["investment"].rows[0].region == "深圳"


def test_edit_and_remove_take_the_version_read_and_leave_audit_rows(fuzhou, people):
    entry = services.six_list_entry_add(
        actor=people["miit"],
        programme=fuzhou,
        field_code=FIELD,
        list_kind="policies",
        name="研发费用加计扣除",
        document="榕政办〔2023〕50号 五（二）",
    )
    changed = services.six_list_entry_change(
        actor=people["miit"],
        entry=entry,
        name="研发费用加计扣除（光电企业）",
        document="榕政办〔2023〕50号 五（二）",
        detail="落实到光电企业",
        expected_version=1,
    )
    assert (changed.name, changed.version) == ("研发费用加计扣除（光电企业）", 2)
    audit = _audits(entry, "supervision.six_list.changed").get()
    assert audit.before["name"] == "研发费用加计扣除" and audit.after["detail"] == "落实到光电企业"
    with pytest.raises(ValidationError, match="已被他人修改"):
        services.six_list_entry_change(
            actor=people["admin"], entry=entry, name="旧页面", document="x", expected_version=1
        )
    with pytest.raises(ValidationError, match="已被他人修改"):
        services.six_list_entry_remove(actor=people["admin"], entry=entry, expected_version=1)
    services.six_list_entry_remove(actor=people["admin"], entry=entry, expected_version=2)
    assert not SixListEntry.objects.filter(pk=entry.pk).exists()
    removed = _audits(entry, "supervision.six_list.removed").get()
    assert removed.before["name"] == "研发费用加计扣除（光电企业）"


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({"list_kind": "investment", "name": "某企业"}, "招商引资清单须填写目标地区"),
        ({"list_kind": "policies", "name": "某措施"}, "政策工具包须填写政策文件"),
        ({"list_kind": "advisors", "name": "  "}, "请填写名称"),
        ({"list_kind": "rumours", "name": "x"}, "请选择清单"),
    ],
)
def test_bad_input_is_refused_in_chinese_and_nothing_is_saved(fuzhou, people, values, message):
    with pytest.raises(ValidationError, match=message):
        services.six_list_entry_add(actor=people["miit"], programme=fuzhou, field_code=FIELD, **values)
    assert not SixListEntry.objects.filter(programme=fuzhou).exists()
    assert not AuditEntry.objects.filter(action="supervision.six_list.added").exists()


def test_a_repeated_name_and_an_unknown_industry_are_refused(fuzhou, people):
    services.six_list_entry_add(
        actor=people["miit"], programme=fuzhou, field_code=FIELD, list_kind="advisors", name="咨询中心"
    )
    with pytest.raises(ValidationError, match="战略咨询支撑机构中已有“咨询中心”"):
        services.six_list_entry_add(
            actor=people["admin"], programme=fuzhou, field_code=FIELD, list_kind="advisors", name="咨询中心"
        )
    with pytest.raises(ValidationError, match=r"不是.*的产业"):
        services.six_list_entry_add(
            actor=people["admin"], programme=fuzhou, field_code="no-such", list_kind="advisors", name="x"
        )
    assert SixListEntry.objects.filter(programme=fuzhou).count() == 1


# --- pages, Excel, API -------------------------------------------------------------------------------------


def test_the_overview_links_each_industry_and_counts_its_lists(client, fuzhou, people):
    services.six_list_entry_add(
        actor=people["miit"],
        programme=fuzhou,
        field_code=FIELD,
        list_kind="investment",
        name="甲",
        region="上海",
    )
    services.six_list_entry_add(
        actor=people["miit"],
        programme=fuzhou,
        field_code=FIELD,
        list_kind="investment",
        name="乙",
        region="杭州",
    )
    client.force_login(people["commerce"])
    page = client.get("/supervision/fuzhou/six-lists/").content.decode()
    assert "/supervision/fuzhou/six-lists/optoelectronics/" in page and "量子科技" in page
    overview = {r.industry.code: r for r in selectors.six_list_overview(fuzhou, people["commerce"])}
    assert overview[FIELD].counts[1] == 2 and overview[FIELD].total == 2
    book = load_workbook(io.BytesIO(client.get("/supervision/fuzhou/six-lists/?format=xlsx").content))
    sheet = book.active
    values = [[c.value for c in row] for row in sheet.iter_rows()]
    row = next(r for r in values if r[0] == "新一代光电")
    assert row[2:] == [0, 2, 0, 0, 0, 0, 2]


def test_the_side_by_side_page_shows_the_units_and_offers_editing_to_the_keeper_only(
    client, fuzhou, people, personas
):
    entry = services.six_list_entry_add(
        actor=people["miit"],
        programme=fuzhou,
        field_code=FIELD,
        list_kind="investment",
        name="甲",
        region="上海",
    )
    url = "/supervision/fuzhou/six-lists/optoelectronics/"
    client.force_login(people["miit"])
    page = client.get(url).content.decode()
    assert "责任单位（牵头部门）" in page and "福州市工业和信息化局</strong>（牵头）" in page
    assert f"/supervision/six-list-entries/{entry.pk}/edit/" in page
    response = client.post(
        f"/supervision/six-list-entries/{entry.pk}/edit/",
        {"name": "甲公司", "region": "上海浦东", "version": "1"},
    )
    assert response.status_code == 302
    entry.refresh_from_db()
    assert (entry.name, entry.region, entry.version) == ("甲公司", "上海浦东", 2)
    for reader in (people["commerce"], personas["national_observer"]):  # both read, neither keeps
        client.force_login(reader)
        page = client.get(url).content.decode()
        assert "甲公司" in page and "/edit/" not in page and "加入招商引资清单" not in page
    client.post(f"/supervision/six-list-entries/{entry.pk}/remove/", {"version": "2"}, follow=True)
    assert SixListEntry.objects.filter(pk=entry.pk).exists()
    book = load_workbook(io.BytesIO(client.get(url + "?format=xlsx&list=investment").content))
    rows = [[c.value for c in row] for row in book.active.iter_rows()]
    assert ["序号", "目标企业", "目标地区", "说明（所在地）", "来源或维护单位"] in rows
    assert [1, "甲公司", "上海浦东", None, _unit(fuzhou, "市工信局").name] in rows


def test_every_page_action_is_an_api_operation_with_the_same_rules(client, fuzhou, people):
    base = "/api/v1/programmes/fuzhou/six-lists"
    client.force_login(people["miit"])
    created = client.post(
        f"{base}/{FIELD}/entries",
        data=json.dumps({"list": "investment", "name": "甲", "region": "北京"}),
        content_type="application/json",
    )
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["keeper"]["name"] == _unit(fuzhou, "市工信局").name and body["version"] == 1
    bad = client.post(
        f"{base}/{FIELD}/entries",
        data=json.dumps({"list": "investment", "name": "乙"}),
        content_type="application/json",
    )
    assert bad.status_code == 400 and "目标地区" in bad.json()["error"]["message"]
    entry_url = f"/api/v1/supervision/six-list-entries/{body['id']}"
    changed = client.patch(
        entry_url,
        data=json.dumps({"name": "甲公司", "region": "北京", "version": 1}),
        content_type="application/json",
    )
    assert changed.status_code == 200 and changed.json()["version"] == 2
    stale = client.patch(
        entry_url,
        data=json.dumps({"name": "x", "region": "北京", "version": 1}),
        content_type="application/json",
    )
    assert stale.status_code == 400 and "已被他人修改" in stale.json()["error"]["message"]
    lists = client.get(f"{base}/{FIELD}").json()
    assert [r["name"] for r in lists["lists"][1]["rows"]] == ["甲公司"]
    overview = client.get(base).json()
    assert next(i for i in overview if i["field"] == FIELD)["counts"]["investment"] == 1
    client.force_login(people["commerce"])
    refused = client.delete(f"{entry_url}?version=2")
    assert refused.status_code == 403 and "只有" in refused.json()["error"]["message"]
    refused = client.post(
        f"{base}/{FIELD}/entries",
        data=json.dumps({"list": "advisors", "name": "x"}),
        content_type="application/json",
    )
    assert refused.status_code == 403
    client.force_login(people["admin"])
    assert client.delete(f"{entry_url}?version=2").status_code == 204
    assert not SixListEntry.objects.filter(pk=body["id"]).exists()


def test_the_demo_fills_all_six_lists_of_one_industry_from_the_registries_and_the_units(fuzhou, people):
    from xiandao.registries.selectors import registry_get
    from xiandao.registries.services.entries import entries_confirm, entry_add
    from xiandao.supervision.demo import FUZHOU_INDUSTRY, demo_supervision_create

    platform = registry_get("platform")
    hefei = entry_add(  # Anhui's taxonomy has a field coded “quantum” too
        actor=None,
        registry=platform,
        data={
            "name": "合肥量子平台",
            "city": "合肥市",
            "field": "quantum",
            "valid_from": dt.date(2024, 1, 1),
            "source": "部门名单",
            "kind": "产业创新中心",
            "level": "省级",
        },
        check_permission=False,
    )
    entries_confirm(actor=None, registry=platform, ids=[hefei.entry.pk], check_permission=False)
    assert platform.model._default_manager.get(pk=hefei.entry.pk).status == "confirmed"
    demo_supervision_create()
    lists = {c.kind: c for c in selectors.six_lists(fuzhou, FUZHOU_INDUSTRY, people["miit"])}
    assert all(column.rows for column in lists.values())
    enterprises = [r.name for r in lists["enterprises"].rows]
    # The registry's confirmed 头部企业 and 隐形冠军 in Fuzhou first, then the unit's additions.
    assert enterprises[:2] == ["示例福州光电集团有限公司", "示例福州精密光学元件有限公司"]
    assert lists["enterprises"].rows[0].keeper == "登记库" and lists["enterprises"].rows[0].detail == "福州市"
    assert "示例光电芯片封装测试基地项目" in [r.name for r in lists["projects"].rows]
    assert "示例福州光电产业创新中心" in [r.name for r in lists["innovation"].rows]
    assert {r.region for r in lists["investment"].rows} == {"北京", "上海", "深圳", "杭州"}
    assert all(r.document for r in lists["policies"].rows)
    overview = {r.industry.code: r for r in selectors.six_list_overview(fuzhou, people["miit"])}
    assert overview[FUZHOU_INDUSTRY].counts == [len(c.rows) for c in lists.values()]
    # Anhui's quantum platform is not Fuzhou's.
    assert overview["quantum"].counts == [0] * 6
    assert selectors.six_lists(fuzhou, "quantum", people["miit"])[3].rows == []
