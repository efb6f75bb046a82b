"""``python -m xiandao.evaluation.engine``: see :mod:`xiandao.evaluation.engine.cli`."""

import sys

from xiandao.evaluation.engine.cli import main

sys.exit(main())
