"""The grader skips only handed-out demonstration cells that nothing graded can depend on."""

from __future__ import annotations

import pytest

from dcai_course.grading.demo_cells import skippable_cells

IMPORTS = "import numpy as np\nfrom sklearn.linear_model import LogisticRegression"
ANSWER = "def answer(x):\n    return 2 * x"
DEMO = "rows = []\nfor seed in range(5):\n    rows.append(answer(seed))\nprint(np.mean(rows))"


def skipped(cells, provided=None, graded=("answer",)):
    provided = (
        [IMPORTS, "def answer(x):\n    raise NotImplementedError()", DEMO]
        if provided is None
        else provided
    )
    return skippable_cells(cells, provided, graded)


def test_an_unchanged_demonstration_whose_results_nothing_reads_is_skipped():
    assert skipped([IMPORTS, ANSWER, DEMO]) == {2}


def test_a_changed_demonstration_always_runs():
    assert skipped([IMPORTS, ANSWER, DEMO + "\nprint('mine')"]) == set()


def test_imports_and_the_learners_answers_always_run():
    assert skipped([IMPORTS, ANSWER, DEMO]).isdisjoint({0, 1})
    provided_answer = [IMPORTS, ANSWER, DEMO]  # even an answer cell identical to the handout
    assert 1 not in skippable_cells([IMPORTS, ANSWER, DEMO], provided_answer, ["answer"])


@pytest.mark.parametrize(
    "later",
    [
        "print(len(rows))",                        # reads a name the demonstration binds
        "def f():\n    return rows",               # a function that reads it when called
        "total = sum(x for x in rows)",            # a comprehension over it
        "rows += [1]",                             # an augmented assignment reads it first
    ],
)  # fmt: skip
def test_a_demonstration_whose_names_are_read_later_runs(later):
    assert 2 not in skipped([IMPORTS, ANSWER, DEMO, later])


def test_a_name_rebound_before_it_is_read_does_not_count_as_a_read():
    assert 2 in skipped([IMPORTS, ANSWER, DEMO, "rows = [1, 2]\nprint(rows)"])


def test_a_demonstration_that_binds_a_graded_name_runs():
    demo = "answer_table = [answer(i) for i in range(3)]"
    cells = [IMPORTS, ANSWER, demo]
    assert skippable_cells(cells, [IMPORTS, demo], ["answer_table"]) == set()


@pytest.mark.parametrize(
    "demo",
    [
        "data.append(answer(1))",                  # a method call on an earlier object
        "data[0] = answer(1)",                     # an item of an earlier object
        "config.level = 3",                        # an attribute of an earlier object
        "np.random.seed(0)",                       # a global random state
        "global data\ndata = []",
        "del data",
        "exec('data = 1')",
        "setattr(config, 'level', 3)",
    ],
)  # fmt: skip
def test_a_demonstration_that_changes_earlier_state_runs(demo):
    cells = [IMPORTS, "data = []\nconfig = object()", ANSWER, demo]
    assert skippable_cells(cells, [IMPORTS, demo], ["answer"]) == set()


def test_nothing_is_skipped_when_a_cell_cannot_be_parsed():
    assert skipped([IMPORTS, ANSWER, DEMO, "%timeit answer(1)"]) == set()


def test_nothing_is_skipped_without_the_handed_out_cells():
    assert skipped([IMPORTS, ANSWER, DEMO], provided=[]) == set()
