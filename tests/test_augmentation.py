"""dcai_course.augmentation against scipy.ndimage and imbalanced-learn, and its input checks."""

import numpy as np
import pytest
from scipy import ndimage

from dcai_course import augmentation as aug


@pytest.fixture(scope="module")
def batch():
    rng = np.random.default_rng(0)
    imgs = np.zeros((12, 16, 16))
    imgs[:, 2:14, 3:13] = rng.random((12, 12, 10))  # content away from and at the edges
    imgs[:3, 0, :] = 1.0
    return imgs


# --- image transforms against scipy.ndimage --------------------------------------------------


def test_rotate_equals_scipy_per_image(batch):
    angles = np.random.default_rng(1).uniform(-40, 40, len(batch))
    expected = np.stack(
        [
            ndimage.rotate(x, a, reshape=False, order=1, mode="grid-constant")
            for x, a in zip(batch, angles, strict=True)
        ]
    )
    np.testing.assert_allclose(aug.rotate(batch, angles), expected, atol=1e-10)


def test_shift_equals_scipy_per_image(batch):
    rng = np.random.default_rng(2)
    down, right = rng.uniform(-3, 3, len(batch)), rng.uniform(-3, 3, len(batch))
    expected = np.stack(
        [
            ndimage.shift(x, (d, r), order=1, mode="grid-constant")
            for x, d, r in zip(batch, down, right, strict=True)
        ]
    )
    np.testing.assert_allclose(aug.shift(batch, down, right), expected, atol=1e-10)


def test_whole_pixel_shift_moves_pixels_exactly(batch):
    out = aug.shift(batch, 2, -1)
    np.testing.assert_array_equal(out[:, 2:, :-1], batch[:, :-2, 1:])
    assert (out[:, :2] == 0).all() and (out[:, :, -1] == 0).all()


def test_rotate_by_zero_and_360_is_identity(batch):
    np.testing.assert_allclose(aug.rotate(batch, 0.0), batch, atol=1e-12)
    np.testing.assert_allclose(aug.rotate(batch, 360.0), batch, atol=1e-9)


def test_hflip_matches_numpy_and_is_an_involution(batch):
    np.testing.assert_array_equal(aug.hflip(batch), np.flip(batch, axis=2))
    np.testing.assert_array_equal(aug.hflip(aug.hflip(batch)), batch)


def test_random_erasing_erases_one_rectangle_per_image():
    out = aug.random_erasing(np.ones((50, 20, 20)), 0.3, value=0.0, seed=0)
    for img in out:
        rows, cols = np.nonzero(img == 0)
        assert rows.size > 0
        box = img[rows.min() : rows.max() + 1, cols.min() : cols.max() + 1]
        assert (box == 0).all()  # a rectangle, not scattered pixels
        assert rows.size <= 0.3 * 400 + 2 * 20 + 1  # rounding of the sides
    np.testing.assert_array_equal(out, aug.random_erasing(np.ones((50, 20, 20)), 0.3, seed=0))


def test_augment_is_seeded_and_label_free(batch):
    a = aug.augment(batch, flip=True, erase=0.2, seed=3)
    b = aug.augment(batch, flip=True, erase=0.2, seed=3)
    np.testing.assert_array_equal(a, b)
    assert not np.array_equal(a, aug.augment(batch, flip=True, erase=0.2, seed=4))
    # no rotation and no shift: only flips, so each image is itself or its mirror
    c = aug.augment(batch, max_rotation=0, max_shift=0, flip=True, seed=0)
    same = np.isclose(c, batch).all(axis=(1, 2))
    mirrored = np.isclose(c, batch[:, :, ::-1]).all(axis=(1, 2))
    assert (same | mirrored).all() and mirrored.any() and same.any()


# --- MixUp and CutMix -----------------------------------------------------------------------


def test_mixup_formula_and_draw_order():
    rng = np.random.default_rng(0)
    X, Y = rng.normal(size=(30, 5)), aug.one_hot(rng.integers(0, 4, 30), 4)
    Xm, Ym = aug.mixup(X, Y, 0.4, seed=7)
    draws = np.random.default_rng(7)
    lam, perm = draws.beta(0.4, 0.4, 30), draws.permutation(30)
    np.testing.assert_allclose(Xm, lam[:, None] * X + (1 - lam[:, None]) * X[perm])
    np.testing.assert_allclose(Ym, lam[:, None] * Y + (1 - lam[:, None]) * Y[perm])
    np.testing.assert_allclose(Ym.sum(axis=1), 1)


def test_cutmix_label_weights_equal_pasted_area():
    n = 40
    imgs = np.zeros((n, 10, 10)) + np.arange(n)[:, None, None]  # image i is the constant i
    out, Ym = aug.cutmix(imgs, np.eye(n), 1.0, seed=0)
    # each pixel comes from one of two images, so the label-weighted image index equals
    # the mean pixel: the partner's weight is exactly its share of the pixels
    np.testing.assert_allclose(Ym @ np.arange(n), out.mean(axis=(1, 2)))
    assert ((Ym > 0).sum(axis=1) <= 2).all() and np.allclose(Ym.sum(axis=1), 1)
    assert (Ym.max(axis=1) < 1).sum() > n // 2  # most images did get a box


def test_mixup_and_cutmix_refuse_bad_targets():
    with pytest.raises(ValueError, match="one_hot"):
        aug.mixup(np.zeros((3, 2)), np.zeros((2, 2)))
    with pytest.raises(ValueError, match="distribution"):
        aug.cutmix(np.zeros((2, 4, 4)), np.array([[0.5, 0.6], [1, 0]]))
    with pytest.raises(ValueError, match="> 0"):
        aug.mixup(np.zeros((2, 2)), np.eye(2), alpha=0)


# --- SMOTE against imbalanced-learn ----------------------------------------------------------


def _on_a_segment(points, members, k):
    from sklearn.neighbors import NearestNeighbors

    nbrs = NearestNeighbors(n_neighbors=k + 1).fit(members).kneighbors(members)[1][:, 1:]
    a, d = members[:, None, :], members[nbrs] - members[:, None, :]
    t = np.clip(
        ((points[:, None, None, :] - a) * d).sum(-1) / np.maximum((d**2).sum(-1), 1e-12), 0, 1
    )
    gap = np.linalg.norm(points[:, None, None, :] - (a + t[..., None] * d), axis=-1)
    return gap.reshape(len(points), -1).min(axis=1) < 1e-8


@pytest.mark.parametrize("k", [1, 3, 5])
def test_smote_agrees_with_imbalanced_learn(k):
    from imblearn.over_sampling import SMOTE

    rng = np.random.default_rng(k)
    y = np.repeat([0, 1, 2], [200, 25, 60])
    X = rng.normal(size=(y.size, 4)) + y[:, None]
    ours_X, ours_y = aug.smote(X, y, k, seed=0)
    lib_X, lib_y = SMOTE(k_neighbors=k, random_state=0).fit_resample(X, y)
    np.testing.assert_array_equal(ours_y, lib_y)  # same counts, same order of classes
    np.testing.assert_array_equal(ours_X[: y.size], X)
    np.testing.assert_array_equal(lib_X[: y.size], X)
    for c in (1, 2):
        members = X[y == c]
        new = ours_y[y.size :] == c
        assert _on_a_segment(ours_X[y.size :][new], members, k).all()
        assert _on_a_segment(lib_X[y.size :][new], members, k).all()
        # same algorithm, different draws: the synthetic means agree closely
        np.testing.assert_allclose(
            ours_X[y.size :][new].mean(0), lib_X[y.size :][new].mean(0), atol=0.25
        )


def test_smote_is_seeded_and_refuses_tiny_classes():
    X = np.random.default_rng(0).normal(size=(20, 2))
    y = np.r_[np.zeros(17, int), np.ones(3, int)]
    a, _ = aug.smote(X, y, 2, seed=1)
    b, _ = aug.smote(X, y, 2, seed=1)
    np.testing.assert_array_equal(a, b)
    with pytest.raises(ValueError, match="k_neighbors"):
        aug.smote(X, y, 5)
    with pytest.raises(ValueError, match="rows"):
        aug.smote(X[:5], y)


def test_imbalance_scores_matches_sklearn_metrics():
    from sklearn.linear_model import LogisticRegression
    from sklearn.metrics import balanced_accuracy_score

    rng = np.random.default_rng(0)
    X = rng.normal(size=(400, 3))
    y = (X[:, 0] + 0.5 * rng.normal(size=400) > 1.3).astype(int)
    table = aug.imbalance_scores(LogisticRegression(), X[:300], y[:300], X[300:], y[300:], seed=0)
    pred = LogisticRegression().fit(X[:300], y[:300]).predict(X[300:])
    assert table.loc["nothing", "balanced accuracy"] == pytest.approx(
        balanced_accuracy_score(y[300:], pred)
    )
    assert table.loc["SMOTE (ours)", "recall 1"] >= table.loc["nothing", "recall 1"]
    with pytest.raises(ValueError, match="subset"):
        aug.imbalance_scores(LogisticRegression(), X, y, X, y, methods=["oversample"])


# --- text EDA -------------------------------------------------------------------------------


def test_eda_operations():
    text = "I love this song check my channel"
    swapped = aug.random_swap(text, 3, seed=0)
    assert sorted(swapped.split()) == sorted(text.lower().split())
    replaced = aug.synonym_replacement(text, 10, seed=0)
    for before, after in zip(text.lower().split(), replaced.split(), strict=True):
        assert after == before or after in aug.SYNONYMS[before]
    assert len(aug.random_insertion(text, 2, seed=0).split()) == 9
    assert aug.random_deletion(text, 0.0, seed=0) == text.lower()
    assert len(aug.random_deletion(text, 1.0, seed=0).split()) == 1
    assert aug.synonym_replacement("zzz qqq", 2, seed=0) == "zzz qqq"
    out, labels = aug.eda(["a b c", "love it"], [0, 1], n_aug=4, seed=0)
    assert len(out) == 10 and labels.tolist() == [0, 1] + [0] * 4 + [1] * 4


def test_eda_refuses_bad_input():
    with pytest.raises(TypeError, match="str"):
        aug.random_swap(3)
    with pytest.raises(TypeError, match="sequence"):
        aug.eda("one text", [1])
    with pytest.raises(ValueError, match="one label per text"):
        aug.eda(["a", "b"], [1])
    with pytest.raises(ValueError, match="percentage"):
        aug.random_deletion("a b", 30)


# --- synthesis and the CNN ------------------------------------------------------------------


def test_gaussian_mixture_candidates_follow_each_class():
    rng = np.random.default_rng(0)
    X = np.r_[rng.normal(-5, 1, (50, 2)), rng.normal(5, 1, (50, 2))]
    y = np.repeat([0, 1], 50)
    Xs, ys = aug.gaussian_mixture_candidates(X, y, 200, seed=0)
    assert np.bincount(ys).tolist() == [200, 200]
    assert Xs[ys == 0].mean() < -3 and Xs[ys == 1].mean() > 3
    np.testing.assert_array_equal(Xs, aug.gaussian_mixture_candidates(X, y, 200, seed=0)[0])


def test_train_cnn_learns_and_is_seeded():
    rng = np.random.default_rng(0)
    imgs = np.zeros((60, 28, 28), dtype=np.float32)
    y = np.arange(60) % 2
    imgs[y == 0, 5:10, 5:23] = 1  # a bar at the top
    imgs[y == 1, 18:23, 5:23] = 1  # a bar at the bottom
    imgs += rng.random(imgs.shape).astype(np.float32) * 0.1
    model = aug.train_cnn(imgs, y, steps=40, n_classes=2, seed=0)
    assert aug.accuracy(model, imgs, y) == 1.0
    again = aug.train_cnn(imgs, y, steps=40, n_classes=2, seed=0)
    for p, q in zip(model.parameters(), again.parameters(), strict=True):
        assert np.array_equal(p.detach().numpy(), q.detach().numpy())


def test_image_checks():
    with pytest.raises(ValueError, match="height, width"):
        aug.rotate(np.zeros((28, 28)), 10)
    with pytest.raises(ValueError, match="NaN"):
        aug.shift(np.full((1, 3, 3), np.nan), 1, 1)
    with pytest.raises(TypeError, match="flip"):
        aug.augment(np.zeros((1, 4, 4)), flip=1)
    with pytest.raises(ValueError, match="mix"):
        aug.train_cnn(np.zeros((2, 28, 28)), [0, 1], mix="cutout")
    with pytest.raises(ValueError, match="n_test"):
        aug.augmentation_curve(np.zeros((10, 28, 28)), np.arange(10), [8], {"none": {}}, n_test=5)


# --- bad inputs found by benchmarks/sweep_bad_inputs.py -------------------------------------


@pytest.mark.parametrize(
    "values, exc",
    [
        (np.array(["1", "2", "3"]), TypeError),
        (np.ones(2), ValueError),
        (np.ones((3, 1)), ValueError),
        (np.ones(0), ValueError),
    ],
)
def test_per_image_amounts_are_checked(values, exc):
    imgs = np.zeros((3, 6, 6))
    with pytest.raises(exc, match="degrees"):
        aug.rotate(imgs, values)
    with pytest.raises(exc, match="down"):
        aug.shift(imgs, values, 0)


def test_mix_messages_name_the_data():
    targets = aug.one_hot(np.array([0, 1, 0]), 2)
    with pytest.raises(ValueError, match="one row per example of X"):
        aug.mixup(np.zeros((2, 4)), targets)
    with pytest.raises(ValueError, match="one row per example of images"):
        aug.cutmix(np.zeros((2, 6, 6)), targets)
    with pytest.raises(ValueError, match="X must be an array"):
        aug.mixup(1.0, targets)


def test_cnn_accuracy_refuses_labels_beyond_its_outputs():
    model = aug.make_cnn(n_classes=3, seed=0)
    with pytest.raises(ValueError, match="labels contains the class 3"):
        aug.accuracy(model, np.zeros((2, 28, 28)), np.array([1, 3]))


def test_imbalance_scores_checks_the_model_and_names_labels():
    from sklearn.linear_model import LogisticRegression

    X, y = np.random.default_rng(0).normal(size=(20, 2)), np.arange(20) % 2
    with pytest.raises(TypeError, match="model"):
        aug.imbalance_scores(LogisticRegression, X, y, X, y)
    with pytest.raises(ValueError, match="y_train has 19"):
        aug.imbalance_scores(LogisticRegression(), X, y[:-1], X, y)
