"""Patches cut from colour photographs, for super-resolution and colourisation.

    photos = read_photos("path/to/folder")                 # every PNG / JPEG in it
    train = image_patches(photos, 32, 5000, rng=0, split="train")
    test = image_patches(photos, 32, 1000, rng=1, split="test")

The held-out split never overlaps the training one: with ``holdout="region"`` the right
``test_fraction`` of every photo's columns is kept for testing and training patches come
from the rest; with ``holdout="photo"`` whole photos are kept (the last ones by file
name). Patches whose pixels barely vary (sky, black borders) teach little and have an
unbounded PSNR when reproduced exactly: ``min_std`` skips them.
"""

from __future__ import annotations

import os
from pathlib import Path

import numpy

from ..infrastructure.backend import resolve_dtype, to_device
from ..infrastructure.random_numbers import as_generator
from ..infrastructure.validation import check_choice, check_float, check_path, check_positive_int
from .sources import data_root

PHOTO_SUFFIXES = (".png", ".jpg", ".jpeg")


def photos_dir() -> Path:
    """``$MINAE_PHOTOS`` if set, else ``photos/`` under the data root (see ``data_root``).

    Where lessons 11 and 12 look for photographs.
    """
    if os.environ.get("MINAE_PHOTOS"):
        return Path(os.environ["MINAE_PHOTOS"]).expanduser()
    return data_root() / "photos"


def read_photo(path) -> numpy.ndarray:
    """One photograph as a float32 host array (3, H, W) in [0, 1].

    Read with matplotlib (PNG natively, JPEG through Pillow); an alpha channel is dropped
    and a gray photograph is repeated into three channels. Lessons 11 and 12.

    Parameters
    ----------
    path : str or path
        A PNG or JPEG file.
    """
    from matplotlib.image import imread  # matplotlib is a run-time dependency

    path = check_path(path, "path")
    try:
        image = imread(path)
    except (OSError, ValueError, SyntaxError) as err:
        raise ValueError(f"{path}: cannot be read as an image ({err})") from err
    image = numpy.asarray(image)
    if image.dtype == numpy.uint8:
        image = image.astype(numpy.float32) / 255  # JPEG bytes -> [0, 1]
    elif image.dtype.kind == "u":
        image = image.astype(numpy.float32) / numpy.iinfo(image.dtype).max
    image = image.astype(numpy.float32)
    if image.ndim == 2:
        image = numpy.repeat(image[:, :, None], 3, axis=2)  # gray (H, W) -> (H, W, 3)
    if image.ndim != 3 or image.shape[2] not in (3, 4):
        raise ValueError(f"{path}: expected an RGB(A) or gray image, got shape {image.shape}")
    return numpy.ascontiguousarray(image[:, :, :3].transpose(2, 0, 1))  # (H, W, 3) -> (3, H, W)


def read_photos(folder=None) -> dict[str, numpy.ndarray]:
    """Every PNG / JPEG of ``folder`` (default ``photos_dir()``), by file name (sorted):
    name -> (3, H, W) in [0, 1]. Lessons 11 and 12.

    Parameters
    ----------
    folder : str or path, optional
        The folder; ``photos_dir()`` when None.
    """
    folder = photos_dir() if folder is None else check_path(folder, "folder")
    if not folder.is_dir():
        raise FileNotFoundError(
            f"folder: the photo folder {folder} does not exist: point MINAE_PHOTOS at a folder of "
            "PNG or JPEG photographs (MINAE_DATA/photos is the default)"
        )
    paths = sorted(p for p in folder.iterdir() if p.suffix.lower() in PHOTO_SUFFIXES)
    if not paths:
        raise FileNotFoundError(f"{folder} holds no PNG or JPEG files")
    return {p.name: read_photo(p) for p in paths}


def _as_photo_list(photos) -> list[numpy.ndarray]:
    if isinstance(photos, (str, Path)):
        photos = read_photos(photos)
    if not isinstance(photos, (dict, list, tuple)):
        raise TypeError(
            f"photos must be a folder, a dict from read_photos or a list of "
            f"(3, H, W) arrays, got {type(photos).__name__}"
        )
    if isinstance(photos, dict):
        photos = list(photos.values())
    photos = [numpy.asarray(p) for p in photos]
    if not photos:
        raise ValueError("no photos given")
    for i, p in enumerate(photos):
        if p.ndim != 3 or p.shape[0] != 3:
            raise ValueError(f"photo {i} must be (3, H, W), got shape {p.shape}")
        if not numpy.all(numpy.isfinite(p)) or p.min() < 0 or p.max() > 1:
            raise ValueError(f"photo {i} must hold finite values in [0, 1]")
    return photos


def _regions(photos, split: str, holdout: str, test_fraction: float):
    """(photo, first column, last column + 1) of the region each photo gives ``split``."""
    if split not in ("train", "test"):
        raise ValueError(f"split must be 'train' or 'test', got {split!r}")
    if not 0 < test_fraction < 1:
        raise ValueError(f"test_fraction must lie in (0, 1), got {test_fraction}")
    if holdout == "region":
        regions = []
        for p in photos:
            cut = round(p.shape[2] * (1 - test_fraction))  # columns [cut, W) are held out
            regions.append((p, 0, cut) if split == "train" else (p, cut, p.shape[2]))
        return regions
    if holdout == "photo":
        if len(photos) < 2:
            raise ValueError("holdout='photo' needs at least two photos")
        n_test = min(max(1, round(len(photos) * test_fraction)), len(photos) - 1)
        chosen = photos[:-n_test] if split == "train" else photos[-n_test:]
        return [(p, 0, p.shape[2]) for p in chosen]
    raise ValueError(f"holdout must be 'region' or 'photo', got {holdout!r}")


def image_patches(
    photos,
    size: int,
    count: int,
    *,
    rng,
    split: str = "train",
    holdout: str = "region",
    test_fraction: float = 0.25,
    min_std: float = 0.0,
    dtype=None,
):
    """``count`` random ``size`` × ``size`` patches (count, 3, size, size) in [0, 1].

    ``photos``: a folder, a dict from ``read_photos``, or a list of (3, H, W) arrays.
    Each patch is drawn from a photo with probability proportional to the positions it
    offers in ``split``'s region, then at a uniform position there (the Generator or
    seed ``rng`` decides; the same seed gives the same patches). Patches whose pixels'
    standard deviation is below ``min_std`` are skipped and drawn again.

    The data of lessons 11 and 12 on photographs (slides 004's super-resolution and
    colorization), cut as SRCNN cuts its training patches (Dong et al. 2016).

    Parameters
    ----------
    photos : folder, dict or list
        Photographs (3, H, W) in [0, 1].
    size : int
        The patch side in pixels.
    count : int
        Patches.
    rng : numpy.random.Generator or int
        Draws the photos and positions.
    split : str
        ``"train"`` or ``"test"``: which region (or which photos) to draw from.
    holdout : str
        ``"region"``: a part of each photo is held out for test; ``"photo"``: whole
        photos are.
    test_fraction : float
        The share held out for test (default 0.25).
    min_std : float
        Skip flatter patches (default 0: none).
    dtype : float32 or float64, optional
        The backend's default when None.

    Returns
    -------
    array (count, 3, size, size)
    """
    size = check_positive_int(size, "size")
    count = check_positive_int(count, "count")
    rng = as_generator(rng)
    check_choice(split, "split", ("train", "test"))
    check_choice(holdout, "holdout", ("region", "photo"))
    test_fraction = check_float(
        test_fraction, "test_fraction", low=0.0, high=1.0, low_open=True, high_open=True
    )
    min_std = check_float(min_std, "min_std", low=0.0)
    regions = _regions(_as_photo_list(photos), split, holdout, test_fraction)
    positions = numpy.array(
        [max(p.shape[1] - size + 1, 0) * max(hi - lo - size + 1, 0) for p, lo, hi in regions],
        dtype=float,
    )
    if positions.sum() == 0:
        raise ValueError(f"no photo's {split} region holds a {size}×{size} patch")
    patches = numpy.empty((count, 3, size, size), dtype=numpy.float32)
    filled, tries = 0, 0
    while filled < count:
        tries += 1
        if tries > 100 * count + 1000:
            raise ValueError(
                f"found only {filled} of {count} patches with a standard deviation of at "
                f"least min_std={min_std}; lower it"
            )
        p, lo, hi = regions[rng.choice(len(regions), p=positions / positions.sum())]
        top = rng.integers(0, p.shape[1] - size + 1)
        left = rng.integers(lo, hi - size + 1)
        patch = p[:, top : top + size, left : left + size]
        if min_std > 0 and patch.std() < min_std:
            continue
        patches[filled] = patch
        filled += 1
    return to_device(patches, resolve_dtype(dtype))
