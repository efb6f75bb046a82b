"""The comparison, the marking and the defaults are pure like the extractor: no Django import."""

from __future__ import annotations

import subprocess
import sys


def test_the_pure_modules_import_no_django():
    code = (
        "import sys, xiandao.policies.comparison, xiandao.policies.marking, xiandao.policies.defaults; "
        "print(sorted(m for m in sys.modules if m == 'django' or m.startswith('django.')))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"
