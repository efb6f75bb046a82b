"""``python -m xiandao.evaluation.engine``: see :mod:`xiandao.evaluation.engine.cli`."""

import os
import sys

# One BLAS thread unless told otherwise: the engine's matrix products are small, and waking
# extra BLAS threads for each costs more than it saves (see bench/evaluation.py).
for variable in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(variable, "1")

from xiandao.evaluation.engine.cli import main  # noqa: E402

sys.exit(main())
