"""The exercises grade what they should: solutions written in NumPy (here, not in the
package) pass every task, the usual mistakes fail their task with the hint that names
them, unfinished stubs are "not started", a broken file fails only its own tasks, and the
Gradescope file has the format Gradescope documents."""

import csv
import json
import re

import numpy as np
import pytest
from exercise_solutions import SOLUTIONS, write_solutions, write_stubs

import minae
from minae.exercises import POINTS, TASKS, grade
from minae.exercises.__main__ import main
from minae.exercises.difference_tasks import TASKS as _DIFFERENCE
from minae.exercises.grading import ERROR, FAILED, NOT_STARTED, PASSED
from minae.exercises.tasks import STUB_FILES, find

DIFFERENCE_TASKS = {t.name for t in _DIFFERENCE}


def by_name(results):
    return {r.task.name: r for r in results}


def test_solutions_in_numpy_pass_every_task(tmp_path):
    results = grade(write_solutions(tmp_path / "student"))
    assert [r.task.name for r in results] == [t.name for t in TASKS]
    failed = {r.task.name: r.text() for r in results if r.status != PASSED}
    assert not failed, failed
    assert sum(r.score for r in results) == sum(POINTS.values())


def test_unfinished_stubs_are_not_started_not_crashes(tmp_path):
    results = grade(write_stubs(tmp_path / "student"))
    assert {r.status for r in results} == {NOT_STARTED}
    assert all(r.score == 0 and r.max_score == POINTS[r.task.name] for r in results)


# (task, file, wrong code appended to the solved file, words the hint must contain)
WRONG = [
    (
        "pca",
        "e01_pca",
        """
def pca(X, k):
    w, V = np.linalg.eigh(X.T @ X / (len(X) - 1))
    return X.mean(axis=0), V[:, ::-1][:, :k].T, w[::-1][:k]
""",
        "without subtracting the mean",
    ),
    (
        "pca",
        "e01_pca",
        """
def pca(X, k):
    w, V = np.linalg.eigh(np.cov(X, rowvar=False))
    return X.mean(axis=0), V[:, :k].T, w[:k]
""",
        "smallest",
    ),
    (
        "pca",
        "e01_pca",
        """
def pca(X, k):
    w, V = np.linalg.eigh(np.cov(X, rowvar=False))
    return X.mean(axis=0), V[:, ::-1][:, :k], w[::-1][:k]
""",
        "as columns, not rows",
    ),
    (
        "sigmoid_backward",
        "e02_activations",
        """
def sigmoid_backward(Y, dY):
    s = 1 / (1 + np.exp(-Y))
    return dY * s * (1 - s)
""",
        "applied to Y again",
    ),
    (
        "relu_backward",
        "e02_activations",
        """
def relu_backward(A, dY):
    return dY
""",
        "must stop where A ≤ 0",
    ),
    (
        "tanh_backward",
        "e02_activations",
        """
def tanh_backward(Y, dY):
    return dY * (1 - Y)
""",
        "1 - Y²",
    ),
    (
        "linear_backward",
        "e03_linear",
        """
def linear_backward(X, W, dY):
    return dY @ W.T, dY.T @ X, dY.sum(axis=0)
""",
        "transposed",
    ),
    (
        "linear_backward",
        "e03_linear",
        """
def linear_backward(X, W, dY):
    return dY @ W.T, X.T @ dY, np.zeros(W.shape[1])
""",
        "bias gradient is missing",
    ),
    (
        "linear_backward",
        "e03_linear",
        """
def linear_backward(X, W, dY):
    return dY @ W.T, X.T @ dY, dY.mean(axis=0)
""",
        "a 1/B too many",
    ),
    (
        "mse_grad",
        "e04_losses",
        """
def mse_grad(X_hat, X):
    return 2 * (X_hat - X)
""",
        "1/B of the batch average is missing",
    ),
    (
        "mse_grad",
        "e04_losses",
        """
def mse_grad(X_hat, X):
    return (X_hat - X) / len(X)
""",
        "the 2 from differentiating the square",
    ),
    (
        "bce_grad",
        "e04_losses",
        """
def bce_grad(X_hat, X):
    return (X - X_hat) / (X_hat * (1 - X_hat)) / len(X)
""",
        "wrong sign",
    ),
    (
        "bce_grad",
        "e04_losses",
        """
def bce_grad(X_hat, X):
    return (X_hat - X) / len(X)
""",
        "with respect to the *logits*",
    ),
    (
        "momentum",
        "e05_optimizers",
        """
def momentum(theta, velocity, g, lr, mu):
    velocity = mu * velocity - lr * g
    return theta + velocity, velocity
""",
        "keep η out of the velocity",
    ),
    (
        "adam",
        "e05_optimizers",
        """
def adam(theta, m, v, g, t, lr, betas=(0.9, 0.999), eps=1e-8):
    m = betas[0] * m + (1 - betas[0]) * g
    v = betas[1] * v + (1 - betas[1]) * g * g
    return theta - lr * m / (np.sqrt(v) + eps), m, v
""",
        "bias correction is missing",
    ),
    (
        "adam",
        "e05_optimizers",
        """
def adam(theta, m, v, g, t, lr, betas=(0.9, 0.999), eps=1e-8):
    m = betas[0] * m + (1 - betas[0]) * g
    v = betas[1] * v + (1 - betas[1]) * g * g
    theta -= lr * (m / (1 - betas[0] ** t)) / (np.sqrt(v / (1 - betas[1] ** t)) + eps)
    return theta, m, v
""",
        "changes the caller's array",
    ),
    (
        "l1_grad",
        "e06_sparsity",
        """
def l1_grad(Z):
    return np.sign(Z)
""",
        "1/B of the batch average is missing",
    ),
    (
        "kl_sparsity_grad",
        "e06_sparsity",
        """
def kl_sparsity_grad(Z, rho):
    rho_hat = Z.mean(axis=0)
    per_unit = np.log(rho_hat * (1 - rho) / (rho * (1 - rho_hat))) / len(Z)
    return np.broadcast_to(per_unit, Z.shape).copy()
""",
        "slide's order",
    ),
    # the solution with the penalty's part left out of what goes on through the encoder
    (
        "sparse_autoencoder_backward",
        "e07_bottleneck",
        SOLUTIONS["e07_bottleneck"].replace(
            "sigmoid_backward(Z, dZ_decoder + dZ_penalty)", "sigmoid_backward(Z, dZ_decoder)"
        ),
        "ignores the penalty",
    ),
    (
        "sparse_autoencoder_backward",
        "e07_bottleneck",
        """
_right = sparse_autoencoder_backward


def sparse_autoencoder_backward(X, W1, b1, W2, b2, lam):
    grads = _right(X, W1, b1, W2, b2, lam)
    grads["dZ_penalty"] = grads["dZ_penalty"] / lam
    return grads
""",
        "λ is missing",
    ),
    (
        "contractive_penalty",
        "e08_contractive",
        """
def contractive_penalty(X, W, b):
    Z = 1 / (1 + np.exp(-(X @ W + b)))
    return float((Z * (1 - Z) * (W ** 2).sum(axis=0)).sum()) / len(X)
""",
        "is not squared",
    ),
    (
        "contractive_grad",
        "e08_contractive",
        """
def contractive_grad(X, W, b):
    Z = 1 / (1 + np.exp(-(X @ W + b)))
    s2 = (Z * (1 - Z)) ** 2
    return 2 / len(X) * W * s2.sum(axis=0), np.zeros_like(b)
""",
        "only the direct term",
    ),
    (
        "reparameterisation_backward",
        "e09_vae",
        """
def reparameterisation_backward(dZ, eps, logvar):
    return dZ, dZ * eps * np.exp(0.5 * logvar)
""",
        "the ½ is missing",
    ),
    (
        "gaussian_kl_grad",
        "e09_vae",
        """
def gaussian_kl_grad(mu, logvar):
    return mu / len(mu), (np.exp(logvar) - 1) / len(mu)
""",
        "the ½ of the KL is missing",
    ),
    (
        "conv2d_loops",
        "e10_convolution",
        """
_right_loops = conv2d_loops


def conv2d_loops(x, W, b, stride, padding):
    return _right_loops(x, W, b, stride, padding + 1)
""",
        "padding is off by one",
    ),
    (
        "conv2d_loops",
        "e10_convolution",
        """
_right_loops = conv2d_loops


def conv2d_loops(x, W, b, stride, padding):
    return _right_loops(x, W[:, :, ::-1, ::-1], b, stride, padding)
""",
        "kernel is flipped",
    ),
    (
        "conv2d_backward_loops",
        "e10_convolution",
        """
_right_backward = conv2d_backward_loops


def conv2d_backward_loops(x, W, dY, stride, padding):
    dx, dW, db = _right_backward(x, W, dY, stride, padding)
    return dx, dW, np.zeros_like(db)
""",
        "bias gradient is missing",
    ),
    (
        "conv2d_backward_loops",
        "e10_convolution",
        """
_right_backward = conv2d_backward_loops


def conv2d_backward_loops(x, W, dY, stride, padding):
    dx, dW, db = _right_backward(x, W, dY, stride, padding)
    return np.pad(dx, ((0, 0), (0, 0), (padding, padding), (padding, padding))), dW, db
""",
        "padding is not cropped",
    ),
    (
        "im2col",
        "e10_convolution",
        """
_right_im2col = im2col


def im2col(x, kernel, stride, padding):
    cols = _right_im2col(x, kernel, stride, padding)
    (kh, kw), (s, _), (p, _) = kernel, stride, padding
    B, Ho = x.shape[0], (x.shape[2] + 2 * p - kh) // s + 1
    Wo = (x.shape[3] + 2 * p - kw) // s + 1
    return cols.reshape(-1, Ho, Wo, B).transpose(0, 3, 1, 2).reshape(cols.shape[0], -1)
""",
        "example n slowest",
    ),
    (
        "conv2d_im2col",
        "e10_convolution",
        """
_right_conv = conv2d_im2col


def conv2d_im2col(x, W, b, stride, padding):
    return _right_conv(x, W, b, stride, padding + 1)
""",
        "padding is off by one",
    ),
    # the solution's col2im with its += turned into =
    (
        "conv2d_backward_im2col",
        "e10_convolution",
        SOLUTIONS["e10_convolution"].replace("] += patches", "] = patches"),
        "col2im must add",
    ),
    (
        "conv_transpose2d",
        "e10_convolution",
        """
_right_transposed = conv_transpose2d


def conv_transpose2d(x, W, stride, padding):
    return _right_transposed(x, W[:, :, ::-1, ::-1], stride, padding)
""",
        "kernel is flipped",
    ),
    (
        "train_autoencoder",
        "e04_losses",
        """
def mse_grad(X_hat, X):
    return (X_hat - X) / len(X)
""",
        "fix mse_grad first",
    ),
    # the tasks minae has no answer for: graded by central differences alone
    (
        "softplus_backward",
        "e02_activations",
        """
def softplus_backward(A, dY):
    return dY * np.log1p(np.exp(A))
""",
        "softplus itself",
    ),
    (
        "elu_backward",
        "e02_activations",
        """
def elu_backward(A, alpha, dY):
    return dY * np.where(A > 0, 1.0, alpha)
""",
        "α e^A, not α",
    ),
    (
        "huber_grad",
        "e04_losses",
        """
def huber_grad(X_hat, X, delta):
    return (X_hat - X) / len(X)
""",
        None,
    ),
    (
        "huber_grad",
        "e04_losses",
        """
def huber_grad(X_hat, X, delta):
    return np.clip(X_hat - X, -delta, delta)
""",
        "1/B of the batch average is missing",
    ),
    (
        "cauchy_grad",
        "e06_sparsity",
        """
def cauchy_grad(Z):
    return Z / (1 + Z**2) / len(Z)
""",
        "factor 2",
    ),
    (
        "tied_autoencoder_backward",
        "e07_bottleneck",
        """
_right_tied = tied_autoencoder_backward


def tied_autoencoder_backward(X, W, b1, b2):
    Z = sigmoid(X @ W + b1)
    dX_hat = 2 * (Z @ W.T + b2 - X) / len(X)
    dW, db1, db2 = _right_tied(X, W, b1, b2)
    return dW - dX_hat.T @ Z, db1, db2   # the decoder's path left out
""",
        None,
    ),
    (
        "kl_prior_grad",
        "e09_vae",
        """
def kl_prior_grad(mu, logvar, s):
    return mu / len(mu), 0.5 * (np.exp(logvar) / s**2 - 1) / len(mu)
""",
        "divide by s²",
    ),
    (
        "gaussian_nll_grad",
        "e09_vae",
        """
def gaussian_nll_grad(X_hat, logvar, X):
    B = len(X)
    return (X_hat - X) / B, 0.5 * (1 - (X - X_hat) ** 2 * np.exp(-logvar)) / B
""",
        "not divided by σ²",
    ),
    (
        "dilated_conv2d_backward",
        "e10_convolution",
        """
def dilated_conv2d_backward(x, W, dilation, dY):  # the taps taken next to each other
    _, _, kh, kw = W.shape
    _, _, Ho, Wo = dY.shape
    dx, dW = np.zeros_like(x), np.zeros_like(W)
    for u in range(kh):
        for v in range(kw):
            window = (slice(None), slice(None), slice(u, u + Ho), slice(v, v + Wo))
            dW[:, :, u, v] = np.einsum("noij,ncij->oc", dY, x[window])
            dx[window] += np.einsum("noij,oc->ncij", dY, W[:, :, u, v])
    return dx, dW
""",
        None,
    ),
]


@pytest.mark.parametrize(
    ("task", "stem", "code", "hint"),
    WRONG,
    ids=[f"{w[0]}-{(w[3] or 'differences')[:24]}" for w in WRONG],
)
def test_a_usual_mistake_fails_its_task_with_the_hint_that_names_it(
    task, stem, code, hint, tmp_path
):
    folder = write_solutions(tmp_path / "student", replace={stem: code})
    (result,) = grade(folder, find([task]))
    assert result.status == FAILED, result.text()
    assert hint is None or hint in result.hint, result.text()
    assert result.score == 0
    assert result.message  # what differs, and where
    if task in DIFFERENCE_TASKS:  # no stored answer: the message names the index, both values
        assert re.search(
            r"disagrees with central differences: largest difference \S+ at "
            r"\[[\d, ]+\] \(yours -?[\d.e+-]+, central differences -?[\d.e+-]+\)",
            result.message,
        ), result.message


def test_every_task_has_a_mistake_that_is_caught():
    assert {w[0] for w in WRONG} == {t.name for t in TASKS}


def test_a_file_that_does_not_load_fails_only_its_own_tasks(tmp_path):
    folder = write_solutions(tmp_path / "student")
    (folder / "e03_linear.py").write_text(
        "def linear_backward(X, W, dY)\n    return X\n", encoding="utf-8"
    )
    (folder / "e09_vae.py").write_text("import no_such_module\n", encoding="utf-8")
    (folder / "e01_pca.py").unlink()
    results = by_name(grade(folder))
    assert results["linear_backward"].status == ERROR
    assert "e03_linear.py, line 1: SyntaxError" in results["linear_backward"].message
    assert results["gaussian_kl_grad"].status == ERROR
    assert "ModuleNotFoundError" in results["gaussian_kl_grad"].message
    assert "e01_pca.py is missing" in results["pca"].message
    assert results["train_autoencoder"].status == ERROR  # it needs linear_backward
    assert results["sigmoid_backward"].status == results["conv2d_loops"].status == PASSED


def test_an_exception_in_a_students_function_names_the_line(tmp_path):
    folder = write_solutions(
        tmp_path / "student",
        replace={
            "e04_losses": """
def mse_grad(X_hat, X):
    return 2 * (X_hat - X) / X.shape[5]
"""
        },
    )
    (result,) = grade(folder, find(["mse_grad"]))
    assert result.status == ERROR
    assert result.message.startswith("IndexError") and "e04_losses.py, line" in result.message


def test_grading_restores_the_backend_and_dtype(tmp_path):
    with minae.default_dtype("float32"):
        grade(write_solutions(tmp_path / "student"), find(["linear_backward"]))
        assert minae.get_default_dtype() == np.float32
    assert minae.get_backend() == "numpy"


def test_tasks_are_found_by_name_file_or_number():
    assert [t.name for t in find(["3"])] == ["linear_backward"]
    assert [t.name for t in find(["e04_losses"])] == ["mse_grad", "bce_grad", "huber_grad"]
    assert [t.name for t in find(["adam", "pca"])] == ["pca", "adam"]  # the lessons' order
    with pytest.raises(ValueError, match="no task 'nope'"):
        find(["nope"])


# -- the command line: a student's run and an instructor's ---------------------------------


def test_start_copies_the_stubs_and_never_overwrites_work(tmp_path, capsys):
    folder = tmp_path / "mine"
    assert main(["start", str(folder)]) == 0
    assert sorted(p.name for p in folder.iterdir()) == sorted(
        f"{t.file}.py" for t in {t.file: t for t in TASKS}.values()
    )
    (folder / "e03_linear.py").write_text("# my work\n", encoding="utf-8")
    assert main(["start", str(folder)]) == 1
    assert "nothing was copied" in capsys.readouterr().err
    assert (folder / "e03_linear.py").read_text(encoding="utf-8") == "# my work\n"


def test_a_students_run_fails_then_passes(tmp_path, capsys):
    folder = write_stubs(tmp_path / "mine")
    stub = (folder / "e03_linear.py").read_text(encoding="utf-8")
    (folder / "e03_linear.py").write_text(
        stub + "\n\ndef linear_backward(X, W, dY):\n    return dY @ W.T, dY.T @ X, dY.sum(0)\n",
        encoding="utf-8",
    )
    assert main(["check", str(folder), "linear_backward"]) == 1
    out = capsys.readouterr().out
    assert "linear_backward" in out and "FAILED" in out and "transposed" in out
    (folder / "e03_linear.py").write_text(
        stub + "\n\ndef linear_backward(X, W, dY):\n    return dY @ W.T, X.T @ dY, dY.sum(0)\n",
        encoding="utf-8",
    )
    assert main(["check", str(folder), "3"]) == 0
    assert "1 of 1 tasks passed: 6 of 6 points" in capsys.readouterr().out


def validate_gradescope(results: dict) -> None:
    """Gradescope's documented results.json: a top-level score or per-test scores; each
    test a name, score and max_score, optional output, status and visibility."""
    allowed_top = {
        "score",
        "execution_time",
        "output",
        "output_format",
        "visibility",
        "stdout_visibility",
        "extra_data",
        "tests",
        "leaderboard",
    }
    allowed_test = {
        "score",
        "max_score",
        "status",
        "name",
        "name_format",
        "number",
        "output",
        "output_format",
        "tags",
        "visibility",
        "extra_data",
    }
    assert set(results) <= allowed_top
    assert isinstance(results["score"], (int, float))
    assert results.get("visibility", "visible") in {
        "visible",
        "hidden",
        "after_due_date",
        "after_published",
    }
    for test in results["tests"]:
        assert set(test) <= allowed_test
        assert isinstance(test["name"], str) and test["name"]
        assert isinstance(test["score"], (int, float))
        assert isinstance(test["max_score"], (int, float))
        assert 0 <= test["score"] <= test["max_score"]
        assert test["status"] in {"passed", "failed"}
        assert isinstance(test.get("output", ""), str)
    assert results["score"] == sum(t["score"] for t in results["tests"])


def test_check_writes_gradescopes_results_json(tmp_path, capsys):
    folder = write_solutions(
        tmp_path / "submission",
        replace={
            "e02_activations": """
def tanh_backward(Y, dY):
    return dY * (1 - Y)
"""
        },
    )
    target = tmp_path / "results" / "results.json"
    target.parent.mkdir()
    assert main(["check", str(folder), "--json", str(target)]) == 1
    results = json.loads(target.read_text(encoding="utf-8"))
    validate_gradescope(results)
    assert len(results["tests"]) == len(TASKS)
    failed = [t for t in results["tests"] if t["status"] == "failed"]
    assert [t["name"] for t in failed] == ["tanh_backward (e02_activations.py)"]
    assert "1 - Y²" in failed[0]["output"]
    assert results["score"] == sum(POINTS.values()) - POINTS["tanh_backward"]


def test_an_instructor_grades_a_folder_of_submissions(tmp_path, capsys):
    submissions = tmp_path / "submissions"
    write_solutions(submissions / "ada")
    write_stubs(submissions / "bob")
    write_solutions(
        submissions / "cy",
        replace={
            "e03_linear": """
def linear_backward(X, W, dY):
    return dY @ W.T, X.T @ dY, np.zeros(W.shape[1])
"""
        },
    )
    points = tmp_path / "points.json"
    points.write_text(json.dumps({"linear_backward": 10}), encoding="utf-8")
    assert main(["grade", str(submissions), "--points", str(points)]) == 0
    total = sum(POINTS.values()) - POINTS["linear_backward"] + 10
    # cy's sparse autoencoder and training call cy's own linear_backward: they fail with it
    cy = total - 10 - POINTS["train_autoencoder"] - POINTS["sparse_autoencoder_backward"]
    grades = tmp_path / "submissions-grades"  # beside the submissions, which are only read
    for name, score in (("ada", total), ("bob", 0), ("cy", cy)):
        results = json.loads((grades / f"{name}.json").read_text(encoding="utf-8"))
        validate_gradescope(results)
        assert results["score"] == score, name
        assert sorted(p.name for p in (submissions / name).iterdir()) == sorted(
            f"{stem}.py" for stem in STUB_FILES
        )
    with (grades / "grades.csv").open(encoding="utf-8", newline="") as f:
        rows = list(csv.reader(f))
    assert rows[0][:3] == ["submission", "total", "pca"]
    assert rows[0][-2:] == ["flagged", "hints"]
    assert [r[0] for r in rows[1:]] == ["ada", "bob", "cy"]


def test_bad_points_tables_are_refused(tmp_path):
    points = tmp_path / "points.json"
    points.write_text(json.dumps({"no_such_task": 3}), encoding="utf-8")
    with pytest.raises(SystemExit, match="unknown tasks"):
        main(["grade", str(tmp_path), "--points", str(points)])
