"""`margin analyze --all --engine dask`: a corpus on a Dask cluster, into the cache and Parquet tables."""

from __future__ import annotations

import subprocess
import sys


def test_the_app_and_the_plain_commands_never_import_dask_or_pyarrow():
    code = (
        "import sys, tui.ui.app, tui.cli, tui.commands.analyze, tui.core.analysis.batch; "
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in ('dask', 'distributed', 'pyarrow')); "
        "assert not bad, bad"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
