"""``python -m xiandao.evaluation.engine``: see :mod:`xiandao.evaluation.engine.cli`.

No BLAS environment variable is needed: the engine caps BLAS at one thread itself while it
computes (:mod:`xiandao.evaluation.engine.threads`).
"""

import sys

from xiandao.evaluation.engine.cli import main

sys.exit(main())
