"""Time dcai_course.aggregation.dawid_skene against crowd-kit's DawidSkene.

Both run on the same answers with their default settings (majority-vote start, up to 100
EM iterations, each its own convergence rule): the real Dog data set (807 items, 109
workers, 10 answers per item) and a simulated crowd of 10^5 items, 10 workers of
accuracies between 0.5 and 0.95, 3 answers per item, 4 classes. Printed per data set:
the best of 3 wall times, the ratio crowd-kit / ours, the iterations each ran, and the
fraction of items given the same label. Then the stopping-rule check that used to sit in
notebook 05 (see benchmarks/MAINTAINERS.md, "05 crowdsourcing"): on Bluebirds crowd-kit
stops after two iterations because its objective counts the log-prior once per answer.

Run: python benchmarks/bench_aggregation.py
"""

from __future__ import annotations

import warnings

import numpy as np
from _common import Comparison, best_of
from crowdkit.aggregation import DawidSkene

from dcai_course import crowdsourcing as cs
from dcai_course.aggregation import dawid_skene, to_vote_matrix, vote_counts
from dcai_course.datasets import load_crowd
from dcai_course.noise import simulate_annotators


def simulated_crowd(n_items=100_000, n_workers=10, per_item=3, n_classes=4, seed=0):
    rng = np.random.default_rng(seed)
    truth = rng.integers(0, n_classes, n_items)
    return simulate_annotators(truth, rng.uniform(0.5, 0.95, n_workers), per_item, seed=seed + 1)


def _compare(answers):
    t_ours, ours = best_of(lambda: dawid_skene(answers))
    t_ck, ck = best_of(lambda: DawidSkene(n_iter=100).fit(answers.rename(columns={"item": "task"})))
    same = (ours.labels == ck.labels_.loc[ours.labels.index]).mean()
    return t_ours, t_ck, same, ours, ck


def comparisons(quick: bool = False) -> list[Comparison]:
    """Dog and a simulated crowd of 10^5 items (10^4 with ``quick``)."""
    warnings.simplefilter("ignore")
    rows = []
    n_items = 10_000 if quick else 100_000
    for name, answers in [
        ("Dog (real)", load_crowd("dog")[0]),
        (f"simulated, {n_items:,} items", simulated_crowd(n_items)),
    ]:
        t_ours, t_ck, same, _, _ = _compare(answers)
        rows.append(
            Comparison(
                "04/05 aggregation",
                "aggregation.dawid_skene",
                "crowd-kit DawidSkene",
                name,
                t_ours,
                t_ck,
                f"{same:.2%} same labels",
            )
        )
    return rows


def main() -> None:
    warnings.simplefilter("ignore")  # crowd-kit's pandas deprecation warnings
    data_sets = {"Dog (real)": load_crowd("dog")[0], "simulated 10^5 items": simulated_crowd()}
    header = (
        "data",
        "answers",
        "ours (s)",
        "crowd-kit (s)",
        "speed-up",
        "iters ours/ck",
        "same label",
    )
    print("{:<22} {:>8} {:>9} {:>14} {:>9} {:>14} {:>11}".format(*header))
    for name, answers in data_sets.items():
        t_ours, t_ck, same, ours, ck = _compare(answers)
        iters = f"{ours.n_iter}/{len(ck.loss_history_)}"
        print(
            f"{name:<22} {len(answers):>8} {t_ours:>9.3f} {t_ck:>14.3f} {t_ck / t_ours:>8.1f}× "
            f"{iters:>14} {same:>11.2%}"
        )


def _lower_bound(votes, q, priors, confusions, prior_per_answer):
    """The EM objective per answer; crowd-kit adds the log-prior once per answer."""
    answered = votes >= 0
    logs = np.log(confusions)[np.arange(votes.shape[1]), :, votes]  # (items, workers, K)
    answer_term = (logs * answered[:, :, None]).sum(axis=1)
    times = answered.sum(axis=1, keepdims=True) if prior_per_answer else 1
    entropy = -(q * np.log(np.clip(q, 1e-10, None))).sum()
    return ((q * (answer_term + times * np.log(priors))).sum() + entropy) / answered.sum()


def crowdkit_stopping_rule(n_iter: int = 3) -> dict:
    """Recompute crowd-kit's objective and the true ELBO along one EM run on Bluebirds."""
    answers = load_crowd("bluebirds")[0]
    votes = to_vote_matrix(answers).matrix
    shares = vote_counts(votes) / vote_counts(votes).sum(axis=1, keepdims=True)
    priors, confusions = cs.dawid_skene_m_step(votes, shares)
    bounds = []
    for _ in range(n_iter):  # crowd-kit's order: E-step, M-step, then the objective
        q = cs.dawid_skene_e_step(votes, priors, confusions)
        priors, confusions = cs.dawid_skene_m_step(votes, q)
        bounds.append([_lower_bound(votes, q, priors, confusions, flag) for flag in (True, False)])
    tasks = answers.rename(columns={"item": "task"})
    ck = DawidSkene(n_iter=100).fit(tasks)
    ck_long = DawidSkene(n_iter=20, tol=-np.inf).fit(tasks)
    ours = dawid_skene(answers)
    ours_two = dawid_skene(answers, max_iter=2, tol=0).labels
    bounds = np.array(bounds)
    return {
        "crowd-kit loss history": np.asarray(ck.loss_history_),
        "log-prior per answer (crowd-kit)": bounds[:, 0],
        "log-prior per item (ELBO)": bounds[:, 1],
        "same labels, both stopped at 2": float(
            (ours_two == ck.labels_.loc[ours_two.index]).mean()
        ),
        "same labels, both converged": float(
            (ours.labels == ck_long.labels_.loc[ours.labels.index]).mean()
        ),
        "items differing at the default stops": int(
            (ours.labels != ck.labels_.loc[ours.labels.index]).sum()
        ),
    }


if __name__ == "__main__":
    main()
    print("\ncrowd-kit's stopping rule on Bluebirds (see benchmarks/MAINTAINERS.md):")
    for key, value in crowdkit_stopping_rule().items():
        print(f"  {key}: {np.round(value, 4)}")
