"""The command line, run as a user runs it: in a subprocess, on files."""

from __future__ import annotations

import csv
import json
import subprocess
import sys
from pathlib import Path

import pytest

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
    assert [(r["zone"], r["year"], r["composite"], r["index"], r["grade"]) for r in rows] == [
        ("Z1", "2023", "15.0", "50.0", "A"),
        ("Z1", "2024", "82.0", "273.3333333333333", "AAA"),
        ("Z2", "2023", "39.0", "130.0", "AAA"),
        ("Z2", "2024", "66.0", "220.0", "AAA"),
        ("Z3", "2023", "36.0", "120.0", "AA"),
        ("Z3", "2024", "51.0", "170.0", "AAA"),
    ]
    assert (rows[0]["D1"], rows[0]["D2"]) == ("0.0", "37.5")


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
    assert run["method_version"] == "xiandao-evaluation/1.0"
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


@pytest.mark.parametrize(
    ("file", "content", "message"),
    [
        ("values.csv", "zone,year,indicator,value\nZ1,2023,a,12\nZ1,2023,b,abc\n",
         "values.csv, row 3, column 'value': 'abc' is not a number"),
        ("values.csv", "zone,year,indicator,value\nZ1,twenty,a,12\n",
         "values.csv, row 2, column 'year': 'twenty' is not a whole number"),
        ("values.csv", "zone,year,indicator\nZ1,2023,a\n", "values.csv, row 1, column 'value': missing column (found: zone, year, indicator)"),
        ("values.csv", "zone,year,indicator,value\nZ1,2023,a,1\nZ1,2023,a,2\n",
         "values.csv, row 3: Z1, 2023, a already given in row 2"),
        ("values.csv", "zone,year,indicator,value\nZ1,2023,a,1,9\n", "values.csv, row 2: 5 cells where the header has 4"),
        ("values.csv", "", "values.csv: the file is empty"),
        ("framework.csv", FRAMEWORK_CSV.replace("d,D2,40,1.0,-1", "d,D2,40,1.0,down"),
         "framework.csv, row 5, column 'direction': 'down': direction is 1 or -1"),
        ("framework.csv", FRAMEWORK_CSV.replace("c,D2,40", "c,D2,45"),
         "framework.csv, row 5, column 'dimension_weight': dimension 'D2' has weight 45 in row 4"),
        ("framework.csv", FRAMEWORK_CSV.replace("b,D1,60,1.2", "b,D1,60,-1.2"),
         "framework.csv, row 3, column 'weight': a weight cannot be negative"),
        ("method.json", '{"grading": {"decimals": "two"}}',
         "method.json: method.grading.decimals: expected an integer, got 'two'"),
        ("method.json", '{"grading": [', "method.json: line 1, column 14: Expecting value"),
    ],
)  # fmt: skip
def test_a_malformed_file_gets_one_clear_line_and_no_traceback(
    files: Path, file: str, content: str, message: str
) -> None:
    (files / file).write_text(content, encoding="utf-8")
    arguments = ["--values", "values.csv", "--framework", "framework.csv", "--out", "results.csv"]
    if file == "method.json":
        arguments += ["--method", "method.json"]
    completed = _cli(files, *arguments)
    assert completed.returncode == 2
    assert "Traceback" not in completed.stderr
    assert completed.stderr.strip() == f"error: {message}"


def test_a_missing_file_is_named(files: Path) -> None:
    completed = _cli(files, "--values", "nowhere.csv", "--framework", "framework.csv", "--out", "results.csv")
    assert completed.returncode == 2
    assert completed.stderr.strip() == "error: nowhere.csv: cannot read the file (No such file or directory)"
