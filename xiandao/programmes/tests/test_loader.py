"""Loading definition files into the database: idempotent, all or nothing, never over an admin's edit."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.core.management import call_command

from xiandao.accounts.models import Organisation
from xiandao.core.models import AuditEntry
from xiandao.pilot_zones.models import PilotZone
from xiandao.programmes.definition import dump_definition, parse_definition
from xiandao.programmes.definition.schema import GradedLifecycle
from xiandao.programmes.models import (
    Field,
    Programme,
    RuleParameter,
    Target,
    Task,
    TaskKind,
    TaskUnit,
    TaxonomyVersion,
)
from xiandao.programmes.services import ProgrammeEdited
from xiandao.programmes.state import programme_definition_export, programme_state_hash
from xiandao.programmes.tests.loading import load, load_text, shipped_text, write
from xiandao.programmes.tests.support import PROGRAMME_CODES, programme
from xiandao.programmes.tests.test_definition_schema import line_of, replace_in_block, target_index

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("programmes_absent")]


def run(*args: str) -> tuple[int, str, str]:
    """Run a management command as a person would: (exit code, stdout, stderr)."""
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command(*args, stdout=out, stderr=err)
        code = 0
    except SystemExit as exc:
        code = int(exc.code or 0)
    return code, out.getvalue(), err.getvalue()


def table_sizes() -> dict[str, int]:
    models = (Programme, Target, Task, TaskUnit, TaxonomyVersion, Field, RuleParameter, Organisation)
    return {model.__name__: model.objects.count() for model in models}


@pytest.mark.parametrize("code", PROGRAMME_CODES)
def test_each_shipped_file_loads_and_loading_twice_changes_nothing(reference_data, code):
    first = load(code)
    assert first.outcome == "created"
    before, audits = table_sizes(), AuditEntry.objects.count()
    stored_hash = first.programme.definition_hash
    second = load(code)
    assert second.outcome == "unchanged"
    assert table_sizes() == before
    assert AuditEntry.objects.count() == audits
    assert (
        Programme.objects.get(code=code).definition_hash
        == stored_hash
        == programme_state_hash(first.programme)
    )


def test_the_command_loads_all_four_then_reports_them_unchanged(reference_data, tmp_path):
    files = [f"programmes/{code}.yaml" for code in PROGRAMME_CODES]
    before = set(Organisation.objects.values_list("pk", flat=True))
    code, out, err = run("load_programme", *files)
    assert code == 0, err
    assert out.count("已加载培育计划") == 4
    # 设区市发展改革委 → the DRC of each of Anhui's 16 cities, made where the city had none.
    anhui_drcs = Organisation.objects.filter(
        name__endswith="市发展和改革委员会", jurisdiction__parent_links__parent__code="340000"
    )
    assert anhui_drcs.count() == 16
    assert f"新建机构{anhui_drcs.exclude(pk__in=before).count()}家" in out
    code, out, err = run("load_programme", *files)
    assert code == 0 and out.count("未作改动") == 4 and err == ""


def test_targets_and_tasks_land_one_for_one_with_units_as_written(reference_data):
    load("anhui")
    defn = programme("anhui")
    assert list(Target.objects.filter(programme__code="anhui").values_list("code", flat=True)) == [
        t.code for t in defn.targets
    ]
    task = Task.objects.get(programme__code="anhui", code="ap-enterprise-tiers")
    lead = task.units.get(role="lead")
    assert lead.written == "各市人民政府" and lead.fan_out == "city"
    # "各市人民政府" stands for each of Anhui's 16 city governments.
    assert lead.organisations.count() == 16
    assert lead.organisations.filter(name="合肥市人民政府").exists()
    cooperating = [u.written for u in task.units.filter(role="cooperating").order_by("position")]
    assert cooperating == ["省发展改革委", "省科技厅", "省工业和信息化厅"]
    assert task.units.get(written="省科技厅").organisations.get().name == "安徽省科学技术厅"
    host = Task.objects.get(code="pz-responsibilities-host-park").units.get()
    assert host.fan_out == "host_park" and host.organisations.count() == 0  # decided by each zone's park
    assert Task.objects.filter(programme__code="anhui", kind=TaskKind.HEADING).count() == len(defn.actions)


def test_units_resolve_within_the_programme_jurisdiction(reference_data):
    load("yangzhou")
    load("fuzhou")
    yangzhou = TaskUnit.objects.filter(task__programme__code="yangzhou", written="市科技局")[0]
    fuzhou = TaskUnit.objects.filter(task__programme__code="fuzhou", written="市科技局")[0]
    assert yangzhou.organisations.get().name == "扬州市科学技术局"
    assert fuzhou.organisations.get().name == "福州市科学技术局"
    counties = TaskUnit.objects.filter(task__programme__code="fuzhou", written="各县（市）区人民政府")[0]
    assert counties.organisations.count() == 13
    committees = TaskUnit.objects.filter(task__programme__code="yangzhou", written="功能区管委会")[0]
    assert set(committees.organisations.values_list("name", flat=True)) == {
        "扬州经济技术开发区管理委员会",
        "扬州高新技术产业开发区管理委员会",
    }


# ---------------------------------------------------------------------------------------------
# Refusals: each with file, line and field; nothing half-loaded
# ---------------------------------------------------------------------------------------------

ANHUI = shipped_text("anhui")


def refused(tmp_path: Path, text: str) -> str:
    """Load an edited Anhui file with the command; it must fail and leave the database as it was."""
    before = table_sizes()
    code, out, err = run("load_programme", str(write(tmp_path, text)))
    assert code == 1, out
    assert "Traceback" not in err and "Error" not in err
    assert "未加载，数据库未作任何改动" in err
    assert table_sizes() == before
    return err


def test_wrong_type_is_refused_with_line_and_field(reference_data, tmp_path):
    text = replace_in_block(ANHUI, "code: ap-2030-key-technologies", "year: 2030", "year: '2030'")
    err = refused(tmp_path, text)
    index = target_index("ap-2030-key-technologies")
    line = line_of(text, "year: '2030'")
    assert f"anhui.yaml 第{line}行 targets[{index}].year：类型错误" in err


def test_unknown_field_code_is_refused(reference_data, tmp_path):
    text = replace_in_block(
        ANHUI,
        "code: ap-2030-aerospace-information-output",
        "field: aerospace-information",
        "field: space-info",
    )
    err = refused(tmp_path, text)
    index = target_index("ap-2030-aerospace-information-output")
    assert f"第{line_of(text, 'field: space-info')}行 targets[{index}].field：未知领域编码“space-info”" in err


def test_target_year_outside_the_period_is_refused(reference_data, tmp_path):
    text = replace_in_block(ANHUI, "code: ap-2030-key-technologies", "year: 2030", "year: 2035")
    err = refused(tmp_path, text)
    assert (
        f"第{line_of(text, 'year: 2035')}行" in err
        and "目标年份2035不在计划期2024–2030年内；未注明年份的请留空。" in err
    )


def test_duplicate_code_is_refused(reference_data, tmp_path):
    text = ANHUI.replace("code: ap-2030-key-technologies", "code: ap-2027-key-technologies", 1)
    err = refused(tmp_path, text)
    assert "目标编码“ap-2027-key-technologies”重复" in err
    assert (
        f"第{line_of(text, 'code: ap-2027-key-technologies', after='code: ap-2027-key-technologies')}行"
        in err
    )


def test_unknown_organisation_is_refused_with_the_closest_alias(reference_data, tmp_path):
    text = replace_in_block(ANHUI, "code: ap-state-and-private-enterprises", "- 省国资委", "- 省国资委员会")
    err = refused(tmp_path, text)
    index = [t.code for t in programme("anhui").tasks].index("ap-state-and-private-enterprises")
    line = line_of(text, "- 省国资委员会")
    assert f"anhui.yaml 第{line}行 tasks[{index}].lead[0]：未知单位“省国资委员会”" in err
    assert "最接近的是：省国资委" in err
    assert not Programme.objects.exists()


def test_every_unknown_unit_is_reported_at_once(reference_data, tmp_path):
    text = ANHUI.replace("- 省数据资源局", "- 省数据局", 1).replace("- 安徽证监局", "- 安徽省证监局", 1)
    err = refused(tmp_path, text)
    assert "“省数据局”" in err and "“安徽省证监局”" in err
    assert "有2处问题" in err


def test_a_bad_file_leaves_a_loaded_programme_as_it_was(reference_data, tmp_path):
    load("anhui")
    state = programme_state_hash(Programme.objects.get(code="anhui"))
    text = replace_in_block(ANHUI, "code: ap-state-and-private-enterprises", "- 省国资委", "- 省国资委员会")
    text = text.replace("metric: 上市企业", "metric: 上市公司", 1)
    refused(tmp_path, text)
    assert programme_state_hash(Programme.objects.get(code="anhui")) == state


def test_a_failure_while_writing_rolls_everything_back(reference_data, monkeypatch):
    from xiandao.programmes.services import writing

    def fail(self, created):
        raise RuntimeError("写入中途失败")

    monkeypatch.setattr(writing.Writer, "tasks_write", fail)
    with pytest.raises(RuntimeError):
        load("anhui")
    assert not Programme.objects.exists() and not Target.objects.exists()
    assert not Organisation.objects.filter(code__startswith="drc-").exists()


def test_an_unknown_jurisdiction_is_refused(reference_data, tmp_path):
    text = ANHUI.replace("jurisdiction: '340000'", "jurisdiction: '349900'", 1)
    err = refused(tmp_path, text)
    line = line_of(text, "jurisdiction: '349900'")
    assert f"第{line}行 jurisdiction：行政区划代码349900不存在" in err


def test_the_command_refuses_a_file_that_is_not_there(reference_data):
    code, _, err = run("load_programme", "programmes/nowhere.yaml")
    assert code == 1 and "无法读取文件" in err


# ---------------------------------------------------------------------------------------------
# The database is the truth after loading
# ---------------------------------------------------------------------------------------------


def test_after_an_edit_the_loader_refuses_and_shows_the_difference(reference_data):
    load("anhui")
    Target.objects.filter(programme__code="anhui", code="ap-2027-listed-enterprises").update(
        metric="上市企业（含新三板）"
    )
    with pytest.raises(ProgrammeEdited) as info:
        load("anhui")
    diff = info.value.diff
    assert "-      metric: 上市企业（含新三板）" in diff and "+      metric: 上市企业" in diff
    assert (
        Target.objects.get(programme__code="anhui", code="ap-2027-listed-enterprises").metric
        == "上市企业（含新三板）"
    )

    code, _out, err = run("load_programme", "programmes/anhui.yaml")
    assert code == 1
    assert "在上次加载后已在平台中修改，以数据库为准" in err and "上市企业（含新三板）" in err
    assert "export_programme anhui" in err


def test_an_edit_of_who_a_collective_phrase_means_is_an_edit_too(reference_data):
    load("yangzhou")
    unit = TaskUnit.objects.filter(task__programme__code="yangzhou", written="有关县（市、区）区人民政府")[0]
    unit.organisations.remove(unit.organisations.get(name="宝应县人民政府"))  # the admin prunes "有关"
    with pytest.raises(ProgrammeEdited) as info:
        load("yangzhou")
    assert "宝应县人民政府" in info.value.diff


def test_setup_platform_keeps_an_admins_edit_and_says_so(reference_data):
    load("anhui")
    Target.objects.filter(programme__code="anhui", code="ap-2027-listed-enterprises").update(value=25)
    code, out, _err = run("load_programme", "programmes/anhui.yaml", "--skip-edited")
    assert code == 0 and "以数据库为准" in out
    assert Target.objects.get(programme__code="anhui", code="ap-2027-listed-enterprises").value == 25


def test_force_overwrites_an_edit_with_a_reason_and_an_audit_entry(reference_data):
    load("anhui")
    Target.objects.filter(programme__code="anhui", code="ap-2027-listed-enterprises").update(value=25)
    code, _, err = run("load_programme", "programmes/anhui.yaml", "--force")
    assert code == 2 and "--reason" in err
    code, _out, err = run(
        "load_programme", "programmes/anhui.yaml", "--force", "--reason", "以新印发文件为准"
    )
    assert code == 0, err
    assert Target.objects.get(programme__code="anhui", code="ap-2027-listed-enterprises").value == 20
    entry = AuditEntry.objects.filter(action="programmes.programme.reloaded").latest("occurred_at")
    assert entry.after is not None
    assert entry.reason == "以新印发文件为准" and entry.after["overwrote_edits"] is True


def test_an_unedited_programme_follows_its_file_and_keeps_row_identity(reference_data, tmp_path):
    load("anhui")
    field = Field.objects.get(version__code="anhui-2024-09", code="quantum")
    zone = PilotZone.objects.create(programme=field.version.programme, field=field, name="测试先导区")
    text = ANHUI.replace("metric: 上市企业", "metric: 上市公司", 1).replace(
        "- 量子计算\n", "- 量子计算（更正）\n", 1
    )
    result = load_text(text)
    assert result.outcome == "updated"
    assert Target.objects.filter(programme__code="anhui", metric="上市公司").count() == 1
    zone.refresh_from_db()
    assert zone.field_id == field.pk  # the zone still points at the same field row
    assert load_text(text).outcome == "unchanged"


def test_a_field_a_zone_uses_cannot_be_deleted_by_a_reload(reference_data, tmp_path):
    load("zhejiang")
    field = Field.objects.get(version__programme__code="zhejiang", code="metaverse")
    PilotZone.objects.create(programme=field.version.programme, field=field, name="测试先导区")
    text = shipped_text("zhejiang")
    block = text[text.index("      - code: metaverse") :]
    block = block[: block.index("zone_types:")]
    code, _, err = run("load_programme", str(write(tmp_path, text.replace(block, ""), "zhejiang.yaml")))
    assert code == 1 and "已有先导区按其领域申报，不能改写其领域" in err
    assert Field.objects.filter(pk=field.pk).exists()


# ---------------------------------------------------------------------------------------------
# Export
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("code", PROGRAMME_CODES)
def test_load_export_load_changes_nothing(reference_data, tmp_path, code):
    load(code)
    exit_code, out, err = run("export_programme", code, "--output", str(tmp_path / f"{code}.yaml"))
    assert exit_code == 0, err
    exported = (tmp_path / f"{code}.yaml").read_text(encoding="utf-8")
    assert exported.startswith("# 培育计划")
    assert parse_definition(exported) == programme(code)  # what was loaded is what comes out
    assert dump_definition(programme_definition_export(Programme.objects.get(code=code))) == dump_definition(
        programme(code)
    )
    before = table_sizes()
    exit_code, out, err = run("load_programme", str(tmp_path / f"{code}.yaml"))
    assert exit_code == 0 and "未作改动" in out
    assert table_sizes() == before


def test_export_carries_an_admins_edit(reference_data):
    load("anhui")
    RuleParameter.objects.filter(programme__code="anhui", key="consequences.observation_period").update(
        value=2
    )
    _code, out, _ = run("export_programme", "anhui")
    lifecycle = parse_definition(out).lifecycle
    assert isinstance(lifecycle, GradedLifecycle)
    assert lifecycle.consequences.observation_period.value == 2


def test_export_of_an_unknown_code_names_the_known_ones(reference_data):
    load("zhejiang")
    code, _, err = run("export_programme", "jiangsu")
    assert code == 1 and "没有编码为“jiangsu”的培育计划" in err and "zhejiang" in err


def test_export_refuses_a_programme_an_edit_made_inconsistent(reference_data):
    load("anhui")
    from xiandao.programmes.models import Dimension

    Dimension.objects.filter(framework__programme__code="anhui", code="innovation").update(weight="0.5")
    code, _, err = run("export_programme", "anhui")
    assert code == 1 and "各维度权重之和应为1" in err


def test_a_version_zones_applied_under_is_never_rewritten(reference_data, tmp_path):
    load("anhui")
    life = Field.objects.get(version__code="anhui-2024-02", code="life")
    PilotZone.objects.create(programme=life.version.programme, field=life, name="测试生命先导区")
    renamed = replace_in_block(ANHUI, "code: anhui-2024-02", "name: 生命与健康", "name: 生命健康")
    err = refused(tmp_path, renamed)
    assert "已有先导区按其领域申报，不能改写其领域" in err and "taxonomy_versions[0].fields" in err
    # Correcting a direction of that version is still possible.
    corrected = replace_in_block(ANHUI, "code: anhui-2024-02", "- 现代中药", "- 现代中药（中医药）")
    assert load_text(corrected).outcome == "updated"
