"""The command line, run as a user runs it: in a subprocess, on files."""

from __future__ import annotations

import csv
import json
import subprocess
import sys
from fractions import Fraction
from pathlib import Path

import pytest

from xiandao.evaluation.engine import cli
from xiandao.evaluation.engine.cli import argument_problem, main
from xiandao.evaluation.engine.tests.fixtures import TARGETS, VALUES

REPOSITORY = Path(__file__).resolve().parents[4]

FRAMEWORK_CSV = """indicator,dimension,dimension_weight,weight,direction
a,D1,60,0.8,1
b,D1,60,1.2,1
c,D2,40,1.0,1
d,D2,40,1.0,-1
"""


def _values_csv() -> str:
    lines = ["zone,year,indicator,value"]
    for (zone, year), row in VALUES.items():
        lines += [f"{zone},{year},{code},{value}" for code, value in zip("abcd", row, strict=True)]
    return "\n".join(lines) + "\n"


def _targets_csv() -> str:
    lines = ["zone,year,indicator,target"]
    for zone, row in TARGETS.items():
        for year in (2023, 2024):
            lines += [f"{zone},{year},{code},{target}" for code, target in zip("abcd", row, strict=True)]
    return "\n".join(lines) + "\n"


def _cli(tmp_path: Path, *arguments: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "xiandao.evaluation.engine", *arguments],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
        env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(REPOSITORY)},
    )


@pytest.fixture
def files(tmp_path: Path) -> Path:
    (tmp_path / "values.csv").write_text(_values_csv(), encoding="utf-8")
    (tmp_path / "framework.csv").write_text(FRAMEWORK_CSV, encoding="utf-8")
    (tmp_path / "targets.csv").write_text(_targets_csv(), encoding="utf-8")
    return tmp_path


def _read(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def test_default_method_writes_the_golden_results(files: Path) -> None:
    completed = _cli(files, "--values", "values.csv", "--framework", "framework.csv", "--out", "results.csv")
    assert completed.returncode == 0, completed.stderr
    rows = _read(files / "results.csv")
    assert list(rows[0]) == ["zone", "year", "composite", "index", "grade", "D1", "D2"]
    # The worked example of docs/algorithms/evaluation.md: composites 15, 82, 39, 66, 36, 51;
    # the reference is the mean 2023 composite (15 + 39 + 36) / 3 = 30; index = 100 × composite / 30.
    reference = Fraction(15 + 39 + 36, 3)
    expected = [("Z1", "2023", 15, "A"), ("Z1", "2024", 82, "AAA"), ("Z2", "2023", 39, "AAA"),
                ("Z2", "2024", 66, "AAA"), ("Z3", "2023", 36, "AA"), ("Z3", "2024", 51, "AAA")]  # fmt: skip
    assert [(r["zone"], r["year"], r["grade"]) for r in rows] == [(z, y, g) for z, y, _, g in expected]
    for row, (_, _, composite, _) in zip(rows, expected, strict=True):
        # Figures are written at full precision: the float nearest the exact value.
        assert float(row["composite"]) == composite
        assert float(row["index"]) == float(100 * composite / reference)
    # Z1 2023: D1 = 0.4 × 0 + 0.6 × 0, D2 = 0.5 × 50 + 0.5 × 25.
    assert (float(rows[0]["D1"]), float(rows[0]["D2"])) == (0.0, 0.5 * 50 + 0.5 * 25)


def test_method_targets_json_and_monte_carlo(files: Path) -> None:
    (files / "method.json").write_text(
        json.dumps(
            {
                "grading": {"gates": [{"grade": "AAA", "measure": "attainment", "minimum": 80}]},
                "uncertainty": {"draws": 200, "seed": 3},
            }
        ),
        encoding="utf-8",
    )
    arguments = ["--values", "values.csv", "--framework", "framework.csv", "--targets", "targets.csv",
                 "--method", "method.json", "--out", "results.csv", "--json-out", "run.json",
                 "--uncertainty-out", "mc.csv"]  # fmt: skip
    completed = _cli(files, *arguments)
    assert completed.returncode == 0, completed.stderr
    assert _read(files / "results.csv")[2]["grade"] == "AA"  # Z2 2023: index 130 but attainment 71.47 %
    run = json.loads((files / "run.json").read_text(encoding="utf-8"))
    assert run["method_version"] == "xiandao-evaluation/2.0"
    z2_2023 = run["zone_years"][2]
    assert (z2_2023["zone"], z2_2023["year"]) == ("Z2", 2023)
    assert z2_2023["reasons"] == [
        {
            "kind": "threshold",
            "code": "AAA",
            "detail": "绩效指数 130.00 ≥ AAA 门槛 125，评为 AAA",
            "decisive": False,
        },
        {
            "kind": "gate",
            "code": "attainment",
            "detail": "目标达成度 71.47% 低于 AAA 的最低要求 80%，降为 AA",
            # The gate, not the threshold, set the grade.
            "decisive": True,
        },
    ]
    uncertainty = _read(files / "mc.csv")
    assert list(uncertainty[0]) == [
        "zone", "year", "grade", "rank", "median_rank", "rank_low", "rank_high", "p_A", "p_AA", "p_AAA",
    ]  # fmt: skip
    for row in uncertainty:
        assert sum(float(row[f"p_{g}"]) for g in ("A", "AA", "AAA")) == pytest.approx(1.0)
    # Same seed, same files: the same bytes.
    first = (files / "mc.csv").read_bytes()
    assert _cli(files, *arguments).returncode == 0
    assert (files / "mc.csv").read_bytes() == first


def test_gb18030_files_from_chinese_excel_are_read(files: Path) -> None:
    (files / "framework.csv").write_bytes(FRAMEWORK_CSV.replace("D1", "创新能力").encode("gb18030"))
    completed = _cli(files, "--values", "values.csv", "--framework", "framework.csv", "--out", "results.csv")
    assert completed.returncode == 0, completed.stderr
    assert "创新能力" in (files / "results.csv").read_text(encoding="utf-8").splitlines()[0]


METHOD_KINDS = "minmax、zscore、rank、percentile、goalposts、target"


# Every kind of message a user can meet, exactly as they read it: Chinese, naming the file, the
# row (第N行) and the column (X 列), or the setting in a method file, and saying what to fix.
@pytest.mark.parametrize(
    ("file", "content", "message"),
    [
        # values.csv
        ("values.csv", "zone,year,indicator,value\nZ1,2023,a,12\nZ1,2023,b,abc\n",
         "values.csv 第3行 value 列：“abc”不是数字"),
        ("values.csv", "zone,year,indicator,value\nZ1,2023,a,inf\n",
         "values.csv 第2行 value 列：“inf”不是有效的数字（不能是无穷大或 NaN）"),
        ("values.csv", "zone,year,indicator,value\nZ1,twenty,a,12\n",
         "values.csv 第2行 year 列：“twenty”不是整数"),
        ("values.csv", "zone,year,indicator,value\nZ1,,a,12\n", "values.csv 第2行 year 列：不能为空"),
        ("values.csv", "zone,year,indicator,value\n,2023,a,12\n", "values.csv 第2行 zone 列：不能为空"),
        ("values.csv", "zone,year,indicator\nZ1,2023,a\n",
         "values.csv 第1行 value 列：缺少这一列（表头现有：zone、year、indicator）"),
        ("values.csv", "zone,year,indicator,value\nZ1,2023,a,1\nZ1,2023,a,2\n",
         "values.csv 第3行：先导区“Z1”、2023年、指标“a”的数据已在第2行填写过"),
        ("values.csv", "zone,year,indicator,value\nZ1,2023,a,1,9\n",
         "values.csv 第2行：本行有5个单元格，而表头有4列，二者应一致"),
        ("values.csv", "", "values.csv：文件是空的，第1行应为表头（zone、year、indicator、value）"),
        ("values.csv", "zone,year,indicator,value\nZ1,2023,a,1\n".encode("utf-16"),
         "values.csv：文件不是 UTF-8 或 GB18030 编码的文本，请在 Excel 中另存为“CSV UTF-8（逗号分隔）”"),
        # targets.csv and groups.csv
        ("targets.csv", "zone,year,indicator,target\nZ1,2023,a,\n", "targets.csv 第2行 target 列：不能为空"),
        ("groups.csv", "zone,group\nZ1,\n", "groups.csv 第2行 group 列：不能为空"),
        # framework.csv
        ("framework.csv", FRAMEWORK_CSV.replace("d,D2,40,1.0,-1", "d,D2,40,1.0,down"),
         "framework.csv 第5行 direction 列：“down”无法识别，方向应为1（越大越好）或-1（越小越好）"),
        ("framework.csv", FRAMEWORK_CSV.replace("c,D2,40", "c,D2,45"),
         "framework.csv 第5行 dimension_weight 列：维度“D2”在第4行的权重是45，同一维度各行的权重应相同"),
        ("framework.csv", FRAMEWORK_CSV.replace("b,D1,60,1.2", "b,D1,60,-1.2"),
         "framework.csv 第3行 weight 列：权重不能为负数"),
        ("framework.csv", FRAMEWORK_CSV.replace("a,D1,60", "a,D1,-60"),
         "framework.csv 第2行 dimension_weight 列：权重不能为负数"),
        ("framework.csv", FRAMEWORK_CSV.replace("b,D1", "a,D1"), "framework.csv 第3行 indicator 列：指标“a”已在第2行填写过"),
        ("framework.csv", FRAMEWORK_CSV.replace("indicator,", "indicator,kind,").replace("\na,", "\na,both,")
         .replace("\nb,", "\nb,,").replace("\nc,", "\nc,,").replace("\nd,", "\nd,,"),
         "framework.csv 第2行 kind 列：“both”无法识别，类型应为 stock（存量）或 flow（流量）"),
        ("framework.csv", "indicator,dimension,dimension_weight,weight,direction\n",
         "framework.csv：没有任何指标：表头下应每行一个指标"),
        ("framework.csv", FRAMEWORK_CSV.replace(",60,", ",0,").replace(",40,", ",0,"),
         "framework.csv：各维度权重之和为0，至少一个维度的权重须大于0"),
        # method.json: JSON syntax, then every kind of setting error, then one found while computing
        ("method.json", '{"grading": [',
         "method.json 第1行第14列：不是有效的 JSON：此处缺少一个值（可能多了逗号，或文本没加双引号）"),
        ("method.json", '{\n  "grading": {"decimals": 2 "basis": "index"}\n}',
         "method.json 第2行第29列：不是有效的 JSON：缺少逗号，或括号不配对"),
        ("method.json", '{"grading": {"decimals": "two"}}', "method.json grading.decimals：应为整数，而不是“two”"),
        ("method.json", '{"grading": {"thresholds": [{"grade": "AAA", "minimum": "high"}]}}',
         "method.json grading.thresholds[0].minimum：应为数字，而不是“high”"),
        ("method.json", '{"grading": {"thresholds": {"AAA": 125}}}',
         'method.json grading.thresholds：应为列表（[…]），而不是{"AAA": 125}'),
        ("method.json", '{"grading": {"gates": [{"grade": "AAA", "minimum": 80}]}}',
         "method.json grading.gates[0]：缺少“measure”这一项"),
        ("method.json", '{"normalisation": {"kind": "softmax"}}',
         f"method.json normalisation.kind：“softmax”不是可选的值，可选：{METHOD_KINDS}"),
        ("method.json", '{"weighting": {"kind": "equal", "sheme": 1}}',
         "method.json weighting：没有“sheme”这一项，可用的项：kind"),
        ("method.json", '{"imputation": {"by_peer_group": "yes"}}',
         "method.json imputation.by_peer_group：应为 true 或 false，而不是“yes”"),
        ("method.json", "[1, 2]", "method.json：应为对象（{…}），而不是[1, 2]"),
        ("method.json", '{"grading": {"thresholds": [{"grade": "AAA", "minimum": 90}, {"grade": "AA", "minimum": 100}]}}',
         "method.json grading.thresholds：AAA的门槛90低于AA的门槛100，等次越高门槛应越高"),
        ("method.json", '{"grading": {"gates": [{"grade": "AAA", "measure": "rank", "minimum": 3}]}}',
         "method.json grading.gates[0].measure：“rank”无法识别，应为“attainment”（目标达成度）或“dimension:维度编码”"),
        ("method.json", '{"method_version": "xiandao-evaluation/0.9"}',
         "method.json method_version：方法版本“xiandao-evaluation/0.9”与本程序的版本“xiandao-evaluation/2.0”"
         "不符；评价结果只能由生成它的方法版本重算"),
        ("method.json", '{"grading": {"gates": [{"grade": "AAA", "measure": "dimension:D9", "minimum": 3}]}}',
         "method.json grading.gates[0].measure：“dimension:D9”所指的维度不在指标体系中，或因数据不足已被剔除"),
        ("method.json", '{"normalisation": {"kind": "target"}}',
         "method.json normalisation.kind：按目标值标准化（target）需要提供各先导区的目标值（targets）"),
    ],
)  # fmt: skip
def test_each_kind_of_bad_file_gets_one_chinese_line(
    files: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    file: str,
    content: str | bytes,
    message: str,
) -> None:
    if isinstance(content, bytes):
        (files / file).write_bytes(content)
    else:
        (files / file).write_text(content, encoding="utf-8")
    arguments = ["--values", "values.csv", "--framework", "framework.csv", "--out", "results.csv"]
    option = {"method.json": "--method", "targets.csv": "--targets", "groups.csv": "--peer-groups"}
    if file in option:
        arguments += [option[file], file]
    monkeypatch.chdir(files)
    assert main(arguments) == 2
    assert capsys.readouterr().err == f"错误：{message}\n"


def test_a_bad_file_run_as_a_user_runs_it_prints_one_line_and_exits_2(files: Path) -> None:
    (files / "values.csv").write_text(
        "zone,year,indicator,value\nZ1,2023,a,12\nZ1,2023,b,abc\n", encoding="utf-8"
    )
    completed = _cli(files, "--values", "values.csv", "--framework", "framework.csv", "--out", "results.csv")
    assert completed.returncode == 2
    assert completed.stderr == "错误：values.csv 第3行 value 列：“abc”不是数字\n"
    assert completed.stdout == ""


def test_a_missing_file_is_named_as_given(files: Path) -> None:
    completed = _cli(
        files, "--values", "data/nowhere.csv", "--framework", "framework.csv", "--out", "results.csv"
    )
    assert completed.returncode == 2
    assert completed.stderr == "错误：data/nowhere.csv：无法读取（找不到该文件或其所在文件夹）\n"


def test_an_output_that_cannot_be_written_is_named(files: Path) -> None:
    completed = _cli(
        files, "--values", "values.csv", "--framework", "framework.csv", "--out", "out/results.csv"
    )
    assert completed.returncode == 2
    assert completed.stderr == "错误：out/results.csv：无法写入（找不到该文件或其所在文件夹）\n"


def test_a_method_error_found_by_the_monte_carlo_names_the_method_file(
    files: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    (files / "method.json").write_text('{"uncertainty": {"draws": 0}}', encoding="utf-8")
    monkeypatch.chdir(files)
    arguments = ["--values", "values.csv", "--framework", "framework.csv", "--method", "method.json",
                 "--out", "results.csv", "--uncertainty-out", "mc.csv"]  # fmt: skip
    assert main(arguments) == 2
    assert capsys.readouterr().err == "错误：method.json uncertainty.draws：模拟次数至少为1\n"


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        ([], "缺少必填参数 --values、--framework、--out"),
        (["--values", "values.csv", "--framework", "framework.csv", "--out"], "参数 --out 后面缺少文件名"),
        (["--values", "v.csv", "--framework", "f.csv", "--out", "r.csv", "--bogus", "x"], "无法识别的参数：--bogus x"),
        (["--help=yes"], "参数 -h 不接受取值 'yes'"),
    ],
)  # fmt: skip
def test_a_wrong_argument_gets_one_chinese_line_and_exit_2(
    capsys: pytest.CaptureFixture[str], arguments: list[str], message: str
) -> None:
    with pytest.raises(SystemExit) as exit_:
        main(arguments)
    assert exit_.value.code == 2
    assert capsys.readouterr().err == f"错误：{message}（python -m xiandao.evaluation.engine -h 查看用法）\n"


def test_argparse_messages_never_reach_the_user_in_english() -> None:
    assert argument_problem("ambiguous option: --j could match --json-out, --jobs") == (
        "参数 --j 不完整，可能是 --json-out、--jobs"
    )
    assert argument_problem("argument --values: invalid Path value: 'x'") == "参数 --values 的取值 'x' 无效"
    assert argument_problem("argument --out: some message of a later Python") == "参数 --out 的用法有误"
    assert argument_problem("a message never seen before") == "命令行参数有误"


def test_help_is_in_chinese(files: Path) -> None:
    completed = _cli(files, "-h")
    assert completed.returncode == 0
    assert completed.stdout.startswith("用法：python -m xiandao.evaluation.engine --values values.csv")
    for text in ("评价先导区", "输入文件", "输出文件", "指标数据（必填）", "显示本说明并退出", "退出码为2"):
        assert text in completed.stdout
    for english in ("usage:", "options:", "show this help"):
        assert english not in completed.stdout


def test_a_bug_says_so_in_one_chinese_line_with_exit_70(
    files: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def broken(*_: object) -> None:
        raise ZeroDivisionError("division by zero")

    monkeypatch.setattr(cli, "run", broken)
    monkeypatch.chdir(files)
    assert main(["--values", "values.csv", "--framework", "framework.csv", "--out", "results.csv"]) == 70
    assert capsys.readouterr().err == (
        "错误：程序内部出错，不是文件的问题。请把这条消息和所用的文件发给技术支持。"
        "技术信息：ZeroDivisionError: division by zero\n"
    )


# --- a tree above the dimensions, and per-unit indicators -------------------------------------

THREE_LEVEL_FRAMEWORK = """indicator,dimension,weight,direction,name,denominator,scale
a,D1,1,1,,,
b,D1,1,1,,,
c,D2,1,1,,,
e,D3,1,1,亩均税收,land,100
"""
TREE_CSV = """code,parent,weight,name
D1,P1,1,
D2,P1,3,
D3,P2,1,
P1,R,2,产业基础
P2,R,1,
R,,,综合
"""
THREE_LEVEL_VALUES = """zone,year,indicator,value
Z1,2024,a,10
Z1,2024,b,1
Z1,2024,c,5
Z1,2024,e,30
Z1,2024,land,10
Z2,2024,a,20
Z2,2024,b,3
Z2,2024,c,
Z2,2024,e,20
Z2,2024,land,4
Z3,2024,a,30
Z3,2024,b,2
Z3,2024,c,15
Z3,2024,e,10
Z3,2024,land,0
"""


@pytest.fixture
def tree_files(tmp_path: Path) -> Path:
    (tmp_path / "values.csv").write_text(THREE_LEVEL_VALUES, encoding="utf-8")
    (tmp_path / "framework.csv").write_text(THREE_LEVEL_FRAMEWORK, encoding="utf-8")
    (tmp_path / "tree.csv").write_text(TREE_CSV, encoding="utf-8")
    return tmp_path


def test_a_tree_and_a_denominator_on_the_command_line(tree_files: Path) -> None:
    arguments = ["--values", "values.csv", "--framework", "framework.csv", "--tree", "tree.csv",
                 "--out", "results.csv", "--json-out", "run.json"]  # fmt: skip
    completed = _cli(tree_files, *arguments)
    assert completed.returncode == 0, completed.stderr
    rows = _read(tree_files / "results.csv")
    assert list(rows[0]) == ["zone", "year", "composite", "index", "grade", "D1", "D2", "D3", "P1", "P2", "R"]
    # The worked example of docs/algorithms/evaluation.md (tests/test_tree.py computes it by hand).
    z2, z3 = rows[1], rows[2]
    assert (z2["D2"], z2["P1"], float(z2["R"])) == ("", "75.0", pytest.approx((2 * 75 + 1 * 100) / 3))
    assert (z3["D3"], z3["P2"], float(z3["R"])) == ("", "", pytest.approx((75 + 3 * 100) / 4))
    assert all(row["composite"] == row["R"] for row in rows)
    run = json.loads((tree_files / "run.json").read_text(encoding="utf-8"))
    assert [f["reason"] for f in run["denominator_findings"]] == ["zero"]


@pytest.mark.parametrize(
    ("file", "content", "message"),
    [
        ("tree.csv", TREE_CSV.replace("R,,,综合", "R,P1,,综合"),
         "tree.csv 第5行 parent 列：形成了循环：沿上级一路向上又回到了“P1”"),
        ("tree.csv", TREE_CSV + "S,,1,\n",
         "tree.csv 第8行 parent 列：有两个根节点：“R”和“S”的上级都为空，只能有一个"),
        ("tree.csv", TREE_CSV.replace("D3,P2,1,\n", ""),
         "framework.csv 第5行 dimension 列：维度“D3”不在树中，每个维度须作为 code 出现一次（tree.csv 中没有这一行）"),
        ("tree.csv", TREE_CSV.replace("D3,P2,1,", "D3,P9,1,"),
         "tree.csv 第4行 parent 列：上级“P9”不存在：它须作为 code 出现在树中"),
        ("tree.csv", TREE_CSV.replace("D2,P1,3,", "D2,P1,-3,"), "tree.csv 第3行 weight 列：权重须为不小于0的数字"),
        ("tree.csv", TREE_CSV.replace("D2,P1,3,", "D2,P1,much,"), "tree.csv 第3行 weight 列：“much”不是数字"),
        ("tree.csv", "code,weight\nD1,1\n", "tree.csv 第1行 parent 列：缺少这一列（表头现有：code、weight）"),
        ("framework.csv", THREE_LEVEL_FRAMEWORK.replace("land,100", "land,0"),
         "framework.csv 第5行 scale 列：倍数须大于0（如分母以万人计时填10000）"),
        ("framework.csv", THREE_LEVEL_FRAMEWORK.replace("land,100", "a,100"),
         "framework.csv 第5行 denominator 列：分母“a”是本表中的指标；分母须是 values.csv 中另列的序列"
         "（如地区生产总值、人口、用地面积），不参与评价"),
        ("framework.csv", THREE_LEVEL_FRAMEWORK.replace("land,100", "gdp,100"),
         "framework.csv 第5行 denominator 列：分母“gdp”在 values.csv 中没有任何数据行（应以 indicator 列为“gdp”逐年填写）"),
    ],
)  # fmt: skip
def test_a_malformed_tree_or_denominator_gets_one_chinese_line(
    tree_files: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    file: str,
    content: str,
    message: str,
) -> None:
    (tree_files / file).write_text(content, encoding="utf-8")
    monkeypatch.chdir(tree_files)
    arguments = [
        "--values",
        "values.csv",
        "--framework",
        "framework.csv",
        "--tree",
        "tree.csv",
        "--out",
        "r.csv",
    ]
    assert main(arguments) == 2
    assert capsys.readouterr().err == f"错误：{message}\n"


def test_the_new_method_settings_are_read_from_method_json(tree_files: Path) -> None:
    (tree_files / "method.json").write_text(
        json.dumps(
            {
                "screening": {"after_imputation": True, "count": "indicators"},
                "outliers": {"kind": "coinr", "max_skewness": 2, "max_kurtosis": 3.5, "max_points": 5},
                "imputation": {"kind": "mean", "empty_group": "missing"},
                "normalisation": {"constant": "missing"},
            }
        ),
        encoding="utf-8",
    )
    arguments = ["--values", "values.csv", "--framework", "framework.csv", "--tree", "tree.csv",
                 "--method", "method.json", "--out", "results.csv"]  # fmt: skip
    completed = _cli(tree_files, *arguments)
    assert completed.returncode == 0, completed.stderr
    # Z2's c is imputed from Z1 and Z3: (5 + 15) / 2 = 10, half-way: D2 = 50, P1 = (75 + 3 × 50) / 4.
    z2 = _read(tree_files / "results.csv")[1]
    assert (float(z2["D2"]), float(z2["P1"])) == (50.0, pytest.approx((75 + 3 * 50) / 4))
