"""Submissions that attack the grader, built from lab 01's exercise and solution.

Used by ``tests/test_grader_security.py`` and ``benchmarks/bench_grader.py``. Each builder
returns a notebook; :func:`write_class` writes a folder of them. The attacks are the ones
an adversarial student and an instructor tried on the grader (issue 12): forged reports,
patched comparisons, wrapped references, reaching classmates, processes that outlive the
run, cells that ignore interrupts, malformed files; and honest answers that must keep
full marks (printing, float32).
"""

from __future__ import annotations

import json
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parents[1]
LAB01 = "01_model_vs_data_centric_lab"
#: Written into the command line of every process an attack starts, to find survivors.
MARKER = "dcai-attack-marker-5b1e"
FORGED = json.dumps(
    {
        "lab": LAB01,
        "questions": [
            {"id": f"01.q{i}", "points": 5000, "max_points": 2, "status": "passed", "message": ""}
            for i in range(1, 10)
        ],
    }
)
REPORT_LINE = "DCAI-COURSE-GRADE-REPORT:" + FORGED


def _read(folder: str) -> nbformat.NotebookNode:
    return nbformat.read(ROOT / folder / f"{LAB01}.ipynb", as_version=4)


def _index(nb, name: str) -> int:
    return next(i for i, c in enumerate(nb.cells) if f"def {name}(" in c.source)


def solution_source(name: str) -> str:
    nb = _read("solutions")
    return nb.cells[_index(nb, name)].source


def notebook(base: str = "exercises", answers: dict | None = None, setup=(), end=()):
    """Lab 01 from ``base``, with some answer cells replaced and cells added.

    ``setup`` cells go right after the imports, ``end`` cells at the end.
    """
    nb = _read(base)
    for name, source in (answers or {}).items():
        nb.cells[_index(nb, name)].source = source
    for offset, source in enumerate(setup):
        nb.cells.insert(2 + offset, nbformat.v4.new_code_cell(source))
    nb.cells.extend(nbformat.v4.new_code_cell(source) for source in end)
    return nb


WRONG = {
    "uniform_noise_matrix": "def uniform_noise_matrix(n_classes, noise_rate):\n"
    "    return np.zeros((n_classes, n_classes))",
    "inject_label_noise": "def inject_label_noise(labels, noise_matrix, seed):\n"
    "    return labels, labels != labels",
    "lever_effects": "def lever_effects(results):\n"
    "    import pandas as pd\n"
    "    return pd.DataFrame({'effect': ['model lever'], 'mean': [0.0]})",
    "confident_disagreements": "def confident_disagreements(labels, pred_probs, threshold):\n"
    "    return np.zeros(len(labels), dtype=bool)",
}

# -- forged reports --------------------------------------------------------------------------


def forge_emit_report():
    return notebook(
        setup=[
            "import json\nimport dcai_course.grading.checks as _c\n"
            f"_c.emit_report = lambda lab, ns: print({REPORT_LINE!r})"
        ]
    )


def forge_run_question():
    return notebook(
        setup=[
            "import dcai_course.grading.checks as _c\nimport dcai_course.grading.spec as _s\n"
            "_s.run_question = _c.run_question = lambda q, obj, **k: _s.QuestionResult("
            "q.id, q.points + 2, q.points, 'passed', 'ok')"
        ]
    )


def forge_import():
    return notebook(
        setup=[
            "class _Fake:\n    @staticmethod\n    def emit_report(*a):\n"
            f"        print({REPORT_LINE!r})\n"
            "__import__ = lambda *a, **k: _Fake\n"
            "exec = lambda *a, **k: print(" + repr(REPORT_LINE) + ")\n"
            "open = lambda *a, **k: None"
        ]
    )


def forge_transformer():
    return notebook(
        setup=[
            "def _rewrite(lines):\n"
            "    if any('dcai' in line or 'exec(' in line for line in lines):\n"
            f"        return ['print({REPORT_LINE!r})\\n']\n"
            "    return lines\n"
            "get_ipython().input_transformers_post.append(_rewrite)"
        ]
    )


def forge_print():
    answer = (
        "def uniform_noise_matrix(n_classes, noise_rate):\n"
        f"    print({REPORT_LINE!r})\n"
        "    return np.zeros((n_classes, n_classes))"
    )
    return notebook(answers={"uniform_noise_matrix": answer})


# -- the comparison under the learner's control ------------------------------------------------


def patch_numpy():
    return notebook(
        answers=WRONG,
        setup=[
            "np.allclose = np.isclose = np.array_equal = lambda *a, **k: True\n"
            "np.testing.assert_allclose = lambda *a, **k: None"
        ],
    )


def patch_assert_close():
    return notebook(
        answers=WRONG,
        setup=[
            "import dcai_course.grading.testing as _t\n"
            "for _name in ('assert_close', 'assert_equal_arrays', 'assert_keys'):\n"
            "    setattr(_t, _name, lambda *a, **k: None)\n"
            "for _m in list(__import__('sys').modules.values()):\n"
            "    if getattr(_m, '__name__', '').startswith('dcai_course.grading.labs'):\n"
            "        _m.assert_close = _m.assert_equal_arrays = lambda *a, **k: None"
        ],
    )


_PEEK = """class _Peek:
    def __array__(self, dtype=None, copy=None):
        import sys
        frame = sys._getframe(1)
        while frame is not None:
            if "expected" in frame.f_locals:
                return np.asarray(frame.f_locals["expected"])
            frame = frame.f_back
        return np.zeros(1)
    def __eq__(self, other):
        return True
    def __ne__(self, other):
        return False
    def __len__(self):
        return 2
    def __getitem__(self, i):
        return _Peek()
    def keys(self):
        return {"clean", "noisy", "drop"}
"""


def frame_peek():
    answers = {
        "uniform_noise_matrix": _PEEK + "def uniform_noise_matrix(n_classes, noise_rate):\n"
        "    return _Peek()",
        "confident_disagreements": "def confident_disagreements(labels, pred_probs, threshold):\n"
        "    return _Peek()",
    }
    return notebook(answers=answers)


def odd_eq():
    answers = {
        "lever_effects": "class _AnyDict(dict):\n"
        "    def __getitem__(self, key):\n        return _Any()\n"
        "class _Any(float):\n    def __eq__(self, o): return True\n"
        "    def __sub__(self, o): return 0.0\n    __rsub__ = __sub__\n"
        "def lever_effects(results):\n"
        "    return _AnyDict(effect=0, mean=0)",
        "inject_label_noise": "class _Tuple(tuple):\n    def __eq__(self, o): return True\n"
        "def inject_label_noise(labels, noise_matrix, seed):\n"
        "    return _Tuple((labels, labels != labels))",
    }
    return notebook(answers=answers)


# -- wrapping the reference -----------------------------------------------------------------------


def wrap_reference():
    """A wrapper, a partial, a lambda, an alias captured earlier, and a field library."""
    return notebook(
        answers={
            "uniform_noise_matrix": "def uniform_noise_matrix(n_classes, noise_rate):\n"
            "    return noise.uniform_noise_matrix(n_classes, noise_rate)",
            "inject_label_noise": "from cleanlab.benchmarking.noise_generation import "
            "generate_noisy_labels\n"
            "def inject_label_noise(labels, noise_matrix, seed):\n"
            "    np.random.seed(seed)\n"
            "    noisy = generate_noisy_labels(labels, noise_matrix.T)\n"
            "    return noisy, noisy != labels",
            "lever_effects": "lever_effects = functools.partial("
            "model_vs_data.factorial_effects, baseline='baseline', stronger='stronger')",
            "confident_disagreements": "confident_disagreements = lambda labels, p, t: "
            "_captured(labels, p, t)",
        },
        setup=[
            "import functools\nfrom dcai_course import model_vs_data, noise\n"
            "_captured = model_vs_data.confident_disagreements"
        ],
    )


def getsource_copy():
    answer = (
        "import inspect\n_ns = dict(vars(noise))\n"
        "exec(inspect.getsource(noise.uniform_noise_matrix), _ns)\n"
        "uniform_noise_matrix = _ns['uniform_noise_matrix']"
    )
    return notebook(
        answers={"uniform_noise_matrix": answer}, setup=["from dcai_course import noise"]
    )


_RUN_SOLUTION_CELLS = (
    "import json, pathlib\n"
    f"_path = pathlib.Path(dcai_course.__file__).parents[1] / 'solutions' / '{LAB01}.ipynb'\n"
    "for _cell in json.loads(_path.read_text())['cells']:\n"
    "    _src = ''.join(_cell['source'])\n"
    "    if _cell['cell_type'] == 'code' and _src.startswith('def '):\n"
    "        exec(_src)"
)


def solution_cells():
    """Runs the solution's cells, found through the package's path (before and after the
    exercise's own stubs are defined)."""
    return notebook(setup=[_RUN_SOLUTION_CELLS], end=[_RUN_SOLUTION_CELLS])


# -- reaching classmates and outliving the run ---------------------------------------------------


def shadow_writer():
    return notebook(
        base="solutions",
        setup=[
            "import os\nos.makedirs('numpy', exist_ok=True)\n"
            "open('numpy/__init__.py', 'w').write(\"raise ImportError('shadowed')\")"
        ],
    )


def overwrite_classmates(folder: Path):
    """Overwrites every notebook in the class folder, and runs a classmate's cells."""
    source = (
        "import glob, json\n"
        f"for _path in glob.glob({str(folder)!r} + '/**/*.ipynb', recursive=True):\n"
        "    try:\n"
        "        for _cell in json.load(open(_path))['cells']:\n"
        "            if _cell['cell_type'] == 'code' and 'def ' in ''.join(_cell['source']):\n"
        "                exec(''.join(_cell['source']))\n"
        "    except Exception:\n"
        "        pass\n"
        "    try:\n"
        "        open(_path, 'w').write('{}')\n"
        "    except OSError:\n"
        "        pass"
    )
    return notebook(setup=[source])


def detached_processes(folder: Path):
    """A detached process and a double-forked daemon that would rewrite the gradebook."""
    target = str(folder.parent / "grades.csv")
    script = f"import time; time.sleep(120); open({target!r}, 'w').write('hacked')  # {MARKER}"
    source = (
        "import os, subprocess, sys, threading, time\n"
        f"subprocess.Popen([sys.executable, '-c', {script!r}], start_new_session=True,\n"
        "                 stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)\n"
        "if os.fork() == 0:\n"
        "    os.setsid()\n"
        "    if os.fork() == 0:\n"
        f"        os.execv(sys.executable, [sys.executable, '-c', {script!r}])\n"
        "    os._exit(0)\n"
        "def _spin():\n"
        "    while True:\n"
        "        time.sleep(0.01)\n"
        "threading.Thread(target=_spin, daemon=False).start()"
    )
    return notebook(base="solutions", setup=[source])


# -- cells and answers that never stop ------------------------------------------------------------


def ignores_sigint():
    return notebook(
        base="solutions",
        setup=[
            "import signal\nsignal.signal(signal.SIGINT, signal.SIG_IGN)\nwhile True:\n    pass"
        ],
    )


def swallows_timeout():
    """Retry loops: ``except Exception`` (q2) and a bare ``except`` (q4)."""
    return notebook(
        base="solutions",
        answers={
            "inject_label_noise": "import time\n"
            "def inject_label_noise(labels, noise_matrix, seed):\n"
            "    while True:\n"
            "        try:\n"
            "            time.sleep(1000)\n"
            "        except Exception:\n"
            "            pass",
            "confident_disagreements": "import time\n"
            "def confident_disagreements(labels, pred_probs, threshold):\n"
            "    while True:\n"
            "        try:\n"
            "            time.sleep(1000)\n"
            "        except:  # noqa: E722\n"
            "            pass",
        },
    )


def memory_hog():
    """A cell that asks for 6 GB: the kernel's memory limit (4 GB) refuses it."""
    return notebook(base="solutions", setup=["_hog = bytearray(6 * 2**30)"])


# -- honest work ---------------------------------------------------------------------------------


def _prints(name: str) -> str:
    source = solution_source(name)
    head, _, body = source.partition("\n")
    return f"{head}\n    print('.', end='')\n{body}"


def honest_prints():
    names = ("uniform_noise_matrix", "inject_label_noise", "lever_effects",
             "confident_disagreements")  # fmt: skip
    return notebook(base="solutions", answers={n: _prints(n) for n in names})


def honest_float32():
    return notebook(
        base="solutions",
        answers={
            "uniform_noise_matrix": "def uniform_noise_matrix(n_classes, noise_rate):\n"
            "    m = np.full((n_classes, n_classes), noise_rate / (n_classes - 1), "
            "dtype=np.float32)\n"
            "    np.fill_diagonal(m, np.float32(1 - noise_rate))\n"
            "    return m",
            "lever_effects": solution_source("lever_effects").replace("float(", "np.float32("),
        },
    )


# -- malformed files -----------------------------------------------------------------------------


def malformed_files(folder: Path) -> None:
    """A lab id that is a list, cells that are a dict, and a file that is not JSON."""
    nb = nbformat.v4.writes(_read("solutions"))
    data = json.loads(nb)
    data["metadata"]["dcai_course"]["lab"] = [LAB01]
    (folder / "meta_list.ipynb").write_text(json.dumps(data))
    data = json.loads(nb)
    data["cells"] = {}
    (folder / "cells_dict.ipynb").write_text(json.dumps(data))
    (folder / "not_json.ipynb").write_text("{ this is not json")


ESCAPES = "\x1b[2J\x1b[31mowned\x1b[0m"


def ansi_message():
    """An answer whose error message carries terminal escape sequences."""
    answer = f"def uniform_noise_matrix(n_classes, noise_rate):\n    raise ValueError({ESCAPES!r})"
    return notebook(answers={"uniform_noise_matrix": answer})


SIMPLE = {
    "forge_emit_report": forge_emit_report,
    "forge_run_question": forge_run_question,
    "forge_import": forge_import,
    "forge_transformer": forge_transformer,
    "forge_print": forge_print,
    "patch_numpy": patch_numpy,
    "patch_assert_close": patch_assert_close,
    "frame_peek": frame_peek,
    "odd_eq": odd_eq,
    "wrap_reference": wrap_reference,
    "getsource_copy": getsource_copy,
    "solution_cells": solution_cells,
    "shadow_writer": shadow_writer,
    "ignores_sigint": ignores_sigint,
    "swallows_timeout": swallows_timeout,
    "memory_hog": memory_hog,
    "honest_prints": honest_prints,
    "honest_float32": honest_float32,
    "ansi_message": ansi_message,
}


def write_class(folder: Path, names=None) -> dict[str, Path]:
    """Write a class folder: an honest ``alice``, a blank ``bob``, and the attacks."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = {}

    def put(name, nb, suffix=".ipynb"):
        path = folder / f"{name}{suffix}"
        nbformat.write(nb, path)
        paths[name] = path

    put("alice", _read("solutions"))
    put("bob", _read("exercises"))
    put("carol_upper", _read("solutions"), suffix=".IPYNB")
    for name, build in SIMPLE.items():
        if names is None or name in names:
            put(name, build())
    if names is None or "overwrite_classmates" in names:
        put("overwrite_classmates", overwrite_classmates(folder))
    if names is None or "detached_processes" in names:
        put("detached_processes", detached_processes(folder))
    if names is None or "malformed" in names:
        malformed_files(folder)
    for package in ("numpy", "dcai_course"):  # a kernel whose cwd is the folder imports these
        shadow = folder / package
        shadow.mkdir(exist_ok=True)
        (shadow / "__init__.py").write_text("raise ImportError('a shadow package')\n")
    return paths
