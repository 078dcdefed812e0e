"""Repository-wide pytest configuration.

nbval compares every output of a freshly executed notebook with the stored one. Two kinds
of output are not compared, as CONVENTIONS.md requires: stderr (warnings, tqdm text
bars) and progress-bar widgets (their views and model ids differ on every run). The
sanitize file ``tests/nbval_sanitize.cfg`` masks what is left: timings, addresses,
figure reprs.
"""

from __future__ import annotations

import os

# Before NumPy is imported: one BLAS thread in this process and in the kernels nbval starts,
# as `dcai-course execute` uses when it stores the outputs (see notebook_tools.SINGLE_THREAD_ENV).
for _name in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[_name] = "1"

import matplotlib  # noqa: E402
import nbformat  # noqa: E402

matplotlib.use("Agg")  # tests never open a window

try:
    import nbval.plugin as _nbval
except ImportError:  # nbval is in the [test] extra
    _nbval = None

_WIDGET_MIME = "application/vnd.jupyter.widget-view+json"


def _comparable(output) -> bool:
    if output.get("output_type") == "stream" and output.get("name") == "stderr":
        return False
    return not ("data" in output and _WIDGET_MIME in output["data"])


def _merge_stdout(outputs):
    """Join consecutive stdout chunks: their split depends on timing, not on the notebook."""
    merged = []
    for output in outputs:
        if (
            merged
            and output.get("output_type") == "stream"
            and merged[-1].get("output_type") == "stream"
            and merged[-1].get("name") == output.get("name") == "stdout"
        ):
            merged[-1] = nbformat.from_dict(
                {**merged[-1], "text": merged[-1]["text"] + output["text"]}
            )
        else:
            merged.append(output)
    return merged


if _nbval is not None:
    _original_transform = _nbval.transform_streams_for_comparison

    def _transform(outputs):
        return _original_transform(_merge_stdout([o for o in outputs if _comparable(o)]))

    _nbval.transform_streams_for_comparison = _transform
