"""Image augmentation on batches of grey-level images, MixUp and CutMix, and a tiny CNN.

Every transform takes a batch ``images`` of shape ``(n, height, width)`` (floats, 0 is the
background) and returns a new array of the same shape; the random ones take ``seed``.
The geometric transforms are computed for the whole batch in one vectorised call
(``scipy.ndimage.map_coordinates``), and each equals ``scipy.ndimage`` applied image by
image (tested).

Taught in: notebooks/12_augmentation_and_synthetic_data.ipynb.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import torch
from torch import nn

from .._validation import (
    SeedLike,
    as_random_state,
    as_rng,
    check_count,
    check_finite_array,
    check_float,
    check_int,
    check_labels,
    check_positive,
    check_same_length,
)

__all__ = [
    "accuracy",
    "augment",
    "augmentation_curve",
    "cutmix",
    "hflip",
    "make_cnn",
    "mixup",
    "one_hot",
    "random_erasing",
    "rotate",
    "shift",
    "train_cnn",
]


def _images(images: Any, name: str = "images") -> np.ndarray:
    arr = check_finite_array(images, name)
    if arr.ndim != 3:
        raise ValueError(
            f"{name} must be a batch of shape (n, height, width), got shape {arr.shape}. "
            "For one image use image[None]; for flattened rows use X.reshape(n, h, w)."
        )
    return arr


def _per_image(values: Any, n: int, name: str) -> np.ndarray:
    arr = check_finite_array(values, name)
    if arr.ndim > 1 or (arr.ndim == 1 and arr.size != n):
        raise ValueError(
            f"{name} must be one number, or one per image ({n} images), got shape {arr.shape}."
        )
    return np.broadcast_to(arr, (n,)).copy()


def _warp(images: np.ndarray, angle_deg: np.ndarray, dy: np.ndarray, dx: np.ndarray):
    """Rotate each image about its centre, then shift it, with bilinear interpolation."""
    from scipy import ndimage

    n, h, w = images.shape
    rows, cols = np.meshgrid(np.arange(h) - (h - 1) / 2, np.arange(w) - (w - 1) / 2, indexing="ij")
    a = np.deg2rad(angle_deg)[:, None, None]
    r = rows - dy[:, None, None]
    c = cols - dx[:, None, None]
    # the source pixel of each output pixel: the inverse rotation
    src_r = np.cos(a) * r + np.sin(a) * c + (h - 1) / 2
    src_c = -np.sin(a) * r + np.cos(a) * c + (w - 1) / 2
    index = np.broadcast_to(np.arange(n)[:, None, None], src_r.shape)
    return ndimage.map_coordinates(
        images, [index, src_r, src_c], order=1, mode="grid-constant", cval=0.0
    )


def rotate(images: Any, degrees: Any) -> np.ndarray:
    """Rotate each image counter-clockwise by ``degrees`` about its centre (bilinear).

    Parameters
    ----------
    images : array of shape (n, height, width)
    degrees : float or array of shape (n,)
        One angle for all images, or one per image.

    Returns
    -------
    numpy.ndarray of shape (n, height, width)
        Pixels that come from outside the canvas are 0. Equal to
        ``scipy.ndimage.rotate(image, angle, reshape=False, order=1, mode="grid-constant")``
        per image (beyond the edge the image counts as 0, also when interpolating).

    Examples
    --------
    >>> img = np.zeros((1, 3, 3)); img[0, 0, 1] = 1.0
    >>> rotate(img, 90)[0].round(6)
    array([[0., 0., 0.],
           [1., 0., 0.],
           [0., 0., 0.]])

    Taught in: notebooks/12_augmentation_and_synthetic_data.ipynb.
    """
    imgs = _images(images)
    n = imgs.shape[0]
    angle = _per_image(degrees, n, "degrees")
    return _warp(imgs, angle, np.zeros(n), np.zeros(n))


def shift(images: Any, down: Any, right: Any) -> np.ndarray:
    """Shift each image by ``down`` rows and ``right`` columns, filling with 0.

    Whole-pixel shifts move pixels exactly (this is also what a random crop of a padded
    image does); fractional shifts interpolate bilinearly. Equal to
    ``scipy.ndimage.shift(image, (down, right), order=1, mode="grid-constant")`` per image.

    Examples
    --------
    >>> shift(np.arange(9.0).reshape(1, 3, 3), 1, -1)[0]
    array([[0., 0., 0.],
           [1., 2., 0.],
           [4., 5., 0.]])

    Taught in: notebooks/12_augmentation_and_synthetic_data.ipynb.
    """
    imgs = _images(images)
    n = imgs.shape[0]
    return _warp(imgs, np.zeros(n), _per_image(down, n, "down"), _per_image(right, n, "right"))


def hflip(images: Any) -> np.ndarray:
    """Mirror each image left to right (label-preserving for some classes, not for others).

    Examples
    --------
    >>> hflip(np.arange(4.0).reshape(1, 2, 2))[0]
    array([[1., 0.],
           [3., 2.]])

    Taught in: notebooks/12_augmentation_and_synthetic_data.ipynb.
    """
    return _images(images)[:, :, ::-1].copy()


def random_erasing(
    images: Any, max_fraction: float = 0.25, value: float = 0.0, seed: SeedLike = None
) -> np.ndarray:
    """Set one random rectangle of each image to ``value`` (Zhong et al. 2020).

    The rectangle of image ``i`` covers a fraction of the image drawn uniformly in
    ``[0.02, max_fraction]``, with an aspect ratio drawn log-uniformly in ``[0.3, 3.3]``,
    at a uniformly random position where it fits.

    Examples
    --------
    >>> out = random_erasing(np.ones((2, 10, 10)), 0.25, seed=0)
    >>> bool(((out == 0).sum(axis=(1, 2)) > 0).all())
    True

    Taught in: notebooks/12_augmentation_and_synthetic_data.ipynb.
    """
    imgs = _images(images).copy()
    max_fraction = check_float(max_fraction, "max_fraction", minimum=0.02, maximum=1.0)
    value = check_float(value, "value")
    rng = as_rng(seed)
    n, h, w = imgs.shape
    area = rng.uniform(0.02, max_fraction, n) * h * w
    ratio = np.exp(rng.uniform(np.log(0.3), np.log(3.3), n))
    eh = np.clip(np.round(np.sqrt(area * ratio)), 1, h).astype(int)
    ew = np.clip(np.round(np.sqrt(area / ratio)), 1, w).astype(int)
    top = rng.integers(0, h - eh + 1)
    left = rng.integers(0, w - ew + 1)
    r = np.arange(h)[None, :, None]
    c = np.arange(w)[None, None, :]
    box = (
        (r >= top[:, None, None])
        & (r < (top + eh)[:, None, None])
        & (c >= left[:, None, None])
        & (c < (left + ew)[:, None, None])
    )
    imgs[box] = value
    return imgs


def augment(
    images: Any,
    *,
    max_rotation: float = 15.0,
    max_shift: float = 2.0,
    flip: bool = False,
    erase: float = 0.0,
    seed: SeedLike = None,
) -> np.ndarray:
    """A random label-preserving transform of each image: rotation, shift, flip, erasing.

    Image ``i`` is rotated by an angle uniform in ``±max_rotation`` degrees and shifted by
    a whole number of pixels uniform in ``-max_shift..max_shift`` in each direction (a
    random crop of the image padded by ``max_shift``); with ``flip`` it is mirrored with
    probability 1/2; with ``erase > 0`` a rectangle of up to that fraction is erased.

    Examples
    --------
    >>> augment(np.ones((4, 28, 28)), seed=0).shape
    (4, 28, 28)

    Taught in: notebooks/12_augmentation_and_synthetic_data.ipynb.
    """
    imgs = _images(images)
    max_rotation = check_float(max_rotation, "max_rotation", minimum=0.0, maximum=180.0)
    max_shift = int(check_float(max_shift, "max_shift", minimum=0.0))
    if not isinstance(flip, bool):
        raise TypeError(f"flip must be True or False, got {flip!r}.")
    erase = check_float(erase, "erase", minimum=0.0, maximum=1.0)
    rng = as_rng(seed)
    n = imgs.shape[0]
    angle = rng.uniform(-max_rotation, max_rotation, n)
    dy, dx = rng.integers(-max_shift, max_shift + 1, (2, n)).astype(float)
    out = _warp(imgs, angle, dy, dx)
    if flip:
        mirrored = rng.random(n) < 0.5
        out[mirrored] = out[mirrored, :, ::-1]
    if erase > 0:
        out = random_erasing(out, max(erase, 0.02), seed=rng)
    return out


# --- mixing ---------------------------------------------------------------------------------


def one_hot(labels: Any, n_classes: int) -> np.ndarray:
    """Labels ``0..n_classes-1`` as rows of a one-hot matrix (float).

    Examples
    --------
    >>> one_hot([2, 0], 3)
    array([[0., 0., 1.],
           [1., 0., 0.]])

    Taught in: notebooks/12_augmentation_and_synthetic_data.ipynb.
    """
    y = check_labels(labels, n_classes)
    return np.eye(n_classes)[y]


def _targets(targets: Any, n: int, data_name: str) -> np.ndarray:
    Y = check_finite_array(targets, "targets")
    if Y.ndim != 2 or Y.shape[0] != n:
        raise ValueError(
            f"targets must be a (n, n_classes) matrix of label distributions with one row "
            f"per example of {data_name} ({n}), got shape {Y.shape}. Use "
            "one_hot(labels, n_classes)."
        )
    if (Y < 0).any() or not np.allclose(Y.sum(axis=1), 1, atol=1e-6):
        raise ValueError(
            "each row of targets must be a distribution over the classes (non-negative, "
            "summing to 1); use one_hot(labels, n_classes) for hard labels."
        )
    return Y


def _partners(n: int, alpha: float, rng: np.random.Generator):
    lam = rng.beta(alpha, alpha, n)
    return lam, rng.permutation(n)


def mixup(
    X: Any, targets: Any, alpha: float = 0.2, seed: SeedLike = None
) -> tuple[np.ndarray, np.ndarray]:
    """MixUp (Zhang et al. 2018): convex combinations of random pairs and of their labels.

    Example ``i`` is mixed with example ``perm[i]`` of a random permutation, with its own
    weight ``lam[i] ~ Beta(alpha, alpha)``: ``lam X[i] + (1 - lam) X[perm[i]]``, and
    the same for the label distributions ``targets``.

    Parameters
    ----------
    X : array of shape (n, ...)
        Features or images.
    targets : array of shape (n, n_classes)
        Label distributions, e.g. ``one_hot(labels, n_classes)``.
    alpha : float > 0
        Small values keep most pairs close to one of the two examples.

    Returns
    -------
    (X_mixed, targets_mixed)

    Examples
    --------
    >>> Xm, Ym = mixup(np.eye(2), np.eye(2), alpha=1.0, seed=0)
    >>> bool(np.allclose(Xm, Ym)), bool(np.allclose(Ym.sum(1), 1))
    (True, True)

    Taught in: notebooks/12_augmentation_and_synthetic_data.ipynb.
    """
    data = check_finite_array(X, "X")
    if data.ndim == 0:
        raise ValueError("X must be an array with one row per example, got a single number.")
    Y = _targets(targets, data.shape[0], "X")
    alpha = check_positive(alpha, "alpha")
    lam, perm = _partners(data.shape[0], alpha, as_rng(seed))
    lam_x = lam.reshape((-1,) + (1,) * (data.ndim - 1))
    return lam_x * data + (1 - lam_x) * data[perm], lam[:, None] * Y + (1 - lam[:, None]) * Y[perm]


def cutmix(
    images: Any, targets: Any, alpha: float = 1.0, seed: SeedLike = None
) -> tuple[np.ndarray, np.ndarray]:
    """CutMix (Yun et al. 2019): paste a random box of a partner image, mix labels by area.

    Image ``i`` gets a box of image ``perm[i]``; the box covers about ``1 - lam[i]`` of
    the image, ``lam[i] ~ Beta(alpha, alpha)``, centred uniformly at random and clipped
    at the border. The label weight of the partner is the box's **actual** area share
    after clipping.

    Returns
    -------
    (images_mixed, targets_mixed)

    Examples
    --------
    >>> Xc, Yc = cutmix(np.stack([np.zeros((4, 4)), np.ones((4, 4))]), np.eye(2), seed=1)
    >>> bool(np.allclose(Xc.mean(axis=(1, 2)), Yc[:, 1]))
    True

    Taught in: notebooks/12_augmentation_and_synthetic_data.ipynb.
    """
    imgs = _images(images)
    n, h, w = imgs.shape
    Y = _targets(targets, n, "images")
    alpha = check_positive(alpha, "alpha")
    rng = as_rng(seed)
    lam, perm = _partners(n, alpha, rng)
    cut = np.sqrt(1 - lam)
    ch, cw = np.round(h * cut).astype(int), np.round(w * cut).astype(int)
    cy, cx = rng.integers(0, h, n), rng.integers(0, w, n)
    top, bottom = np.clip(cy - ch // 2, 0, h), np.clip(cy + ch - ch // 2, 0, h)
    left, right = np.clip(cx - cw // 2, 0, w), np.clip(cx + cw - cw // 2, 0, w)
    r = np.arange(h)[None, :, None]
    c = np.arange(w)[None, None, :]
    box = (
        (r >= top[:, None, None])
        & (r < bottom[:, None, None])
        & (c >= left[:, None, None])
        & (c < right[:, None, None])
    )
    out = np.where(box, imgs[perm], imgs)
    share = box.mean(axis=(1, 2))[:, None]
    return out, (1 - share) * Y + share * Y[perm]


# --- a tiny CNN -----------------------------------------------------------------------------


def make_cnn(n_classes: int = 10, seed: SeedLike = 0) -> nn.Sequential:
    """A tiny CNN for 28×28 grey images: two 5×5 conv layers (4 and 8 maps), one linear.

    Examples
    --------
    >>> make_cnn(seed=0)(torch.zeros(2, 1, 28, 28)).shape
    torch.Size([2, 10])

    Taught in: notebooks/12_augmentation_and_synthetic_data.ipynb.
    """
    n_classes = check_count(n_classes, "n_classes", minimum=2)
    torch.manual_seed(as_random_state(seed))
    return nn.Sequential(
        nn.Conv2d(1, 4, 5),
        nn.ReLU(),
        nn.MaxPool2d(2),
        nn.Conv2d(4, 8, 5),
        nn.ReLU(),
        nn.MaxPool2d(2),
        nn.Flatten(),
        nn.Linear(8 * 4 * 4, n_classes),
    )


def train_cnn(
    images: Any,
    labels: Any,
    *,
    augment_fn: Any = None,
    mix: str | None = None,
    alpha: float = 1.0,
    steps: int = 200,
    batch_size: int = 32,
    lr: float = 3e-3,
    n_classes: int = 10,
    seed: SeedLike = 0,
) -> nn.Sequential:
    """Train :func:`make_cnn` with Adam for ``steps`` mini-batches, on one CPU thread.

    Parameters
    ----------
    images : array of shape (n, 28, 28)
        Pixels scaled to 0..1.
    labels : array of shape (n,)
    augment_fn : callable ``f(batch, rng) -> batch``, optional
        Applied to every mini-batch, so each step sees fresh random transforms.
    mix : {None, "mixup", "cutmix"}
        Mix each mini-batch with :func:`mixup` or :func:`cutmix` (after ``augment_fn``)
        and train on the soft labels.
    alpha : float
        The Beta parameter of the mixing.

    Examples
    --------
    >>> model = train_cnn(np.zeros((20, 28, 28)), np.arange(20) % 10, steps=2)
    >>> type(model).__name__
    'Sequential'

    Taught in: notebooks/12_augmentation_and_synthetic_data.ipynb.
    """
    imgs = _images(images)
    y = check_labels(labels, n_classes)
    check_same_length(images=imgs, labels=y)
    if mix not in (None, "mixup", "cutmix"):
        raise ValueError(f"mix must be None, 'mixup' or 'cutmix', got {mix!r}.")
    if augment_fn is not None and not callable(augment_fn):
        raise TypeError("augment_fn must be a function f(batch, rng) -> batch, or None.")
    steps = check_count(steps, "steps")
    batch_size = check_count(batch_size, "batch_size")
    lr = check_positive(lr, "lr")
    rng = as_rng(seed)
    before = torch.get_num_threads()
    torch.set_num_threads(1)
    try:
        model = make_cnn(n_classes, seed=rng)
        opt = torch.optim.Adam(model.parameters(), lr=lr)
        Y = np.eye(n_classes)[y]
        n, done = len(y), 0
        while done < steps:
            order = rng.permutation(n)
            for start in range(0, n, batch_size):
                i = order[start : start + batch_size]
                xb, yb = imgs[i], Y[i]
                if augment_fn is not None:
                    xb = augment_fn(xb, rng)
                if mix == "mixup":
                    xb, yb = mixup(xb, yb, alpha, seed=rng)
                elif mix == "cutmix":
                    xb, yb = cutmix(xb, yb, alpha, seed=rng)
                logits = model(torch.as_tensor(xb[:, None], dtype=torch.float32))
                target = torch.as_tensor(yb, dtype=torch.float32)
                loss = -(target * torch.log_softmax(logits, dim=1)).sum(dim=1).mean()
                opt.zero_grad()
                loss.backward()
                opt.step()
                done += 1
                if done == steps:
                    break
    finally:
        torch.set_num_threads(before)
    return model


def accuracy(model: nn.Module, images: Any, labels: Any) -> float:
    """Share of ``images`` whose predicted class (argmax) equals ``labels``.

    Examples
    --------
    >>> model = make_cnn(seed=0)
    >>> 0.0 <= accuracy(model, np.zeros((5, 28, 28)), np.zeros(5, dtype=int)) <= 1.0
    True

    Taught in: notebooks/12_augmentation_and_synthetic_data.ipynb.
    """
    imgs = _images(images)
    y = check_labels(labels)
    check_same_length(images=imgs, labels=y)
    with torch.no_grad():
        logits = model(torch.as_tensor(imgs[:, None], dtype=torch.float32))
    if y.max() >= logits.shape[1]:
        raise ValueError(
            f"labels contains the class {y.max()}, but the model has {logits.shape[1]} "
            f"outputs (classes 0..{logits.shape[1] - 1}): the labels are numbered another way."
        )
    return float((logits.argmax(1).numpy() == y).mean())


def augmentation_curve(
    images: Any,
    labels: Any,
    sizes: Any,
    settings: dict[str, dict],
    seeds: Any = range(5),
    *,
    n_test: int = 1000,
    steps: int = 150,
    progress: bool = True,
) -> pd.DataFrame:
    """Test accuracy of :func:`train_cnn` per training size, setting and seed.

    For each seed the images are shuffled; the first ``n_test`` are the test part and
    the next ``size`` the labelled training part (so a larger size adds images to a
    smaller one, for the same seed). Each setting is a dict of keyword arguments of
    :func:`train_cnn` (``augment_fn``, ``mix``, ``alpha``); ``{}`` is no augmentation.
    Every (seed, size) pair trains one network per setting, all from the same
    initialisation.

    Returns
    -------
    pandas.DataFrame
        Columns ``seed``, ``n_labelled``, ``setting``, ``accuracy``.

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> imgs, y = rng.random((60, 28, 28)), np.arange(60) % 10
    >>> augmentation_curve(imgs, y, [20], {"none": {}}, [0], n_test=20, steps=1,
    ...                    progress=False).shape
    (1, 4)

    Taught in: notebooks/12_augmentation_and_synthetic_data.ipynb.
    """
    from tqdm.auto import tqdm

    imgs = _images(images)
    y = check_labels(labels)
    check_same_length(images=imgs, labels=y)
    sizes = [check_count(v, "sizes") for v in sizes]
    n_test = check_count(n_test, "n_test")
    if not sizes or n_test + max(sizes) > len(y):
        raise ValueError(
            f"n_test + the largest size must be at most the number of images ({len(y)}), "
            f"got {n_test} + {max(sizes, default=0)}."
        )
    if not isinstance(settings, dict) or not settings:
        raise TypeError("settings must be a non-empty dict: name -> train_cnn keyword arguments.")
    seeds = [check_int(s, "seeds", minimum=0) for s in seeds]
    rows = []
    jobs = [(s, n) for s in seeds for n in sizes]
    for seed, n in tqdm(jobs, disable=not progress, desc="seeds x sizes"):
        order = np.random.default_rng(seed).permutation(len(y))
        test, train = order[:n_test], order[n_test : n_test + n]
        for name, kwargs in settings.items():
            model = train_cnn(imgs[train], y[train], steps=steps, seed=seed, **kwargs)
            rows.append(
                {
                    "seed": seed,
                    "n_labelled": n,
                    "setting": name,
                    "accuracy": accuracy(model, imgs[test], y[test]),
                }
            )
    return pd.DataFrame(rows)
