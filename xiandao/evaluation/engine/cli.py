"""Command line: evaluate zones from CSV files, without the platform.

    python -m xiandao.evaluation.engine --values values.csv --framework framework.csv \\
        [--tree tree.csv] [--targets targets.csv] [--peer-groups groups.csv] \\
        [--method method.json] --out results.csv [--json-out run.json] \\
        [--uncertainty-out uncertainty.csv]

Its users are programme staff: help, progress and errors are in Chinese. A malformed file gets
one line naming the file, the row and the column (``错误：values.csv 第3行 value 列：“abc”不是
数字``) and exit status 2, as does a wrong argument; never a traceback.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import NoReturn

from xiandao.evaluation.engine.csvio import (
    FileError,
    check_denominators,
    open_for_writing,
    read_framework,
    read_method,
    read_peer_groups,
    read_targets,
    read_tree,
    read_values,
    write_results,
)
from xiandao.evaluation.engine.errors import EngineError, listed, os_reason
from xiandao.evaluation.engine.method import Method, MethodError
from xiandao.evaluation.engine.model import Snapshot
from xiandao.evaluation.engine.pipeline import run

PROG = "python -m xiandao.evaluation.engine"
EXIT_INPUT_ERROR = 2
EXIT_INTERNAL_ERROR = 70


class ChineseHelpFormatter(argparse.HelpFormatter):
    """argparse's help with a Chinese "usage:"."""

    def add_usage(
        self,
        usage: str | None,
        actions: Iterable[argparse.Action],
        groups: Iterable[argparse._MutuallyExclusiveGroup],
        prefix: str | None = None,
    ) -> None:
        super().add_usage(usage, actions, groups, "用法：" if prefix is None else prefix)


class ChineseArgumentParser(argparse.ArgumentParser):
    """An argument parser whose errors are one Chinese line and exit status 2."""

    def error(self, message: str) -> NoReturn:
        self.exit(EXIT_INPUT_ERROR, f"错误：{argument_problem(message)}（{self.prog} -h 查看用法）\n")


# argparse's messages (Python 3.11 to 3.13), and what they mean for this command.
_ARGUMENT_PROBLEMS: tuple[tuple[str, Callable[[re.Match[str]], str]], ...] = (
    (r"the following arguments are required: (.+)", lambda m: f"缺少必填参数 {listed(m[1].split(', '))}"),
    (r"unrecognized arguments: (.+)", lambda m: f"无法识别的参数：{m[1]}"),
    (
        r"ambiguous option: (\S+) could match (.+)",
        lambda m: f"参数 {m[1]} 不完整，可能是 {listed(m[2].split(', '))}",
    ),
    (r"argument (\S+?)(?:/\S+)?: expected one argument", lambda m: f"参数 {m[1]} 后面缺少文件名"),
    (r"argument (\S+?)(?:/\S+)?: ignored explicit argument (.+)", lambda m: f"参数 {m[1]} 不接受取值 {m[2]}"),
    (r"argument (\S+?)(?:/\S+)?: invalid \w+ value: (.+)", lambda m: f"参数 {m[1]} 的取值 {m[2]} 无效"),
    (r"argument (\S+?)(?:/\S+)?: .*", lambda m: f"参数 {m[1]} 的用法有误"),
)


def argument_problem(message: str) -> str:
    """An argparse error message in Chinese; an unforeseen one says only that the arguments are wrong."""
    for pattern, chinese in _ARGUMENT_PROBLEMS:
        match = re.fullmatch(pattern, message)
        if match:
            return chinese(match)
    return "命令行参数有误"


def build_parser() -> argparse.ArgumentParser:
    parser = ChineseArgumentParser(
        prog=PROG,
        description="评价先导区：根据指标数据计算综合得分、发展指数和等次，可选做不确定性分析（蒙特卡洛模拟）。",
        epilog=(
            "CSV 文件第1行为表头，列名如上；可为 UTF-8 或 GB18030（中文 Excel 默认）编码。"
            "文件有误时输出一行说明（文件、第几行、哪一列、怎样改），退出码为2。"
        ),
        formatter_class=ChineseHelpFormatter,
        add_help=False,
    )
    inputs = parser.add_argument_group("输入文件")
    inputs.add_argument(
        "--values",
        type=Path,
        required=True,
        metavar="values.csv",
        help="指标数据（必填），列：zone（先导区）, year（年份）, indicator（指标）, value（数值，空白表示缺失）",
    )
    inputs.add_argument(
        "--framework",
        type=Path,
        required=True,
        metavar="framework.csv",
        help="指标体系（必填），列：indicator（指标）, dimension（维度）, dimension_weight（维度权重）, "
        "weight（指标权重系数）, direction（1 越大越好，-1 越小越好），可加 kind（stock/flow）, name（名称）, "
        "denominator（分母：values.csv 中另列的序列编码，如地区生产总值）, scale（倍数，默认1）",
    )
    inputs.add_argument(
        "--tree",
        type=Path,
        metavar="tree.csv",
        help="维度以上的各级指标，列：code（编码）, parent（上级编码，根节点留空）, weight（在同级中的权重），"
        "可加 name（名称）；每个维度须作为 code 出现一次。给出时 framework.csv 的 dimension_weight 不再使用",
    )
    inputs.add_argument(
        "--targets",
        type=Path,
        metavar="targets.csv",
        help="各先导区的目标值，列：zone, year, indicator, target（目标值）",
    )
    inputs.add_argument(
        "--peer-groups",
        type=Path,
        metavar="groups.csv",
        help="同类分组（按同类均值填补缺失值时用），列：zone, group（分组）",
    )
    inputs.add_argument(
        "--method",
        type=Path,
        metavar="method.json",
        help="评价方法设置（JSON）；不给则用文档所述的默认方法",
    )
    outputs = parser.add_argument_group("输出文件")
    outputs.add_argument(
        "--out",
        type=Path,
        required=True,
        metavar="results.csv",
        help="评价结果（必填），每个先导区每年一行：综合得分、发展指数、等次、各维度及以上各级得分",
    )
    outputs.add_argument(
        "--json-out",
        type=Path,
        metavar="run.json",
        help="完整的评价过程与诊断信息（JSON）",
    )
    outputs.add_argument(
        "--uncertainty-out",
        type=Path,
        metavar="uncertainty.csv",
        help="按方法中的不确定性设置做蒙特卡洛模拟，写出各先导区的排名区间和各等次的概率",
    )
    other = parser.add_argument_group("其他")
    other.add_argument("-h", "--help", action="help", help="显示本说明并退出")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    arguments = build_parser().parse_args(argv)
    try:
        return _evaluate(arguments)
    except EngineError as error:
        _say(f"错误：{error}")
        return EXIT_INPUT_ERROR
    except OSError as error:
        _say(f"错误：{error.filename or '文件'}：无法读写（{os_reason(error)}）")
        return EXIT_INPUT_ERROR
    except Exception as error:  # a bug: say so in one line, not a traceback a user cannot act on
        _say(
            "错误：程序内部出错，不是文件的问题。请把这条消息和所用的文件发给技术支持。"
            f"技术信息：{type(error).__name__}: {error}"
        )
        return EXIT_INTERNAL_ERROR


def _say(line: str) -> None:
    print(" ".join(line.split()), file=sys.stderr)


@contextmanager
def _blaming(method_file: Path | None) -> Iterator[None]:
    """A method setting found wrong while computing is the method file's: name it."""
    try:
        yield
    except MethodError as error:
        if method_file is None:
            raise
        raise FileError(method_file, error.problem, key=error.key) from None


def _evaluate(arguments: argparse.Namespace) -> int:
    framework = read_framework(arguments.framework, with_tree=arguments.tree is not None)
    if arguments.tree is not None:
        framework = read_tree(arguments.tree, arguments.framework, framework)
    values = read_values(arguments.values)
    check_denominators(arguments.framework, framework, arguments.values, values)
    targets = read_targets(arguments.targets) if arguments.targets else None
    peer_groups = read_peer_groups(arguments.peer_groups) if arguments.peer_groups else {}
    method = read_method(arguments.method) if arguments.method else Method()
    snapshot = Snapshot(framework, values, targets, peer_groups)
    with _blaming(arguments.method):
        result = run(snapshot, method)
    write_results(arguments.out, result)
    if arguments.json_out:
        with open_for_writing(arguments.json_out) as handle:
            handle.write(result.to_json())
    if arguments.uncertainty_out:
        with _blaming(arguments.method):
            _uncertainty(snapshot, method, arguments.uncertainty_out)
    return 0


def _uncertainty(snapshot: Snapshot, method: Method, path: Path) -> None:
    from tqdm import tqdm

    from xiandao.evaluation.engine.uncertainty import monte_carlo, write_uncertainty

    with tqdm(
        total=method.uncertainty.draws, unit="次", desc="蒙特卡洛模拟", file=sys.stderr, delay=0.5
    ) as bar:
        outcome = monte_carlo(snapshot, method, progress=bar.update)
    write_uncertainty(path, outcome)
