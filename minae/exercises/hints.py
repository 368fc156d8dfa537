"""Hints, revealed a step at a time: ``python -m minae.exercises hint TASK``.

Step 1 names the chain-rule factors involved, step 2 the shapes of the intermediate
terms, step 3 the formula (the line a guided stub states). Each step a student reveals
is recorded in the folder's ``.minae-hints.json``, and the instructor's table shows it.
"""

from __future__ import annotations

import json
from pathlib import Path

from ..infrastructure.files import write_atomically

RECORD = ".minae-hints.json"

# (step 1: the chain-rule factors, step 2: the shapes); step 3 is the stub's guided text
_STEPS: dict[str, tuple[str, str]] = {
    "pca": (
        "No chain rule here: centre X, form the covariance, and take its eigenvectors "
        "(np.linalg.eigh, for a symmetric matrix).",
        "μ (D,); X - μ (B, D); C (D, D); eigh gives eigenvalues (D,) ascending and "
        "eigenvectors as columns (D, D): the components are k of those columns, as rows.",
    ),
    "sigmoid_backward": (
        "dA = dY ∘ σ'(A): one factor, the sigmoid's derivative, which can "
        "be written through σ(A) itself.",
        "Everything is element-wise: Y, dY and dA all have the same shape.",
    ),
    "relu_backward": (
        "dA = dY ∘ f'(A) with f(A) = max(0, A): what is its slope on each side of 0?",
        "Element-wise: A, dY and dA all have the same shape; the "
        "slope is a 0/1 array shaped like A.",
    ),
    "tanh_backward": (
        "dA = dY ∘ tanh'(A); write tanh' through tanh(A) = Y.",
        "Element-wise: Y, dY and dA have the same shape.",
    ),
    "softplus_backward": (
        "dA = dY ∘ f'(A) with f(A) = log(1 + e^A): the derivative of a log "
        "of something, times that something's derivative.",
        "Element-wise: A, dY and dA have the same shape. f'(A) is a function you have met before.",
    ),
    "elu_backward": (
        "dA = dY ∘ f'(A); f has two pieces, so f' has two: differentiate each "
        "piece on its own side of 0.",
        "Element-wise: A, dY and dA have the same shape; np.where picks each entry's piece.",
    ),
    "linear_backward": (
        "Y = X W + b. Each entry Y_bk = Σ_i X_bi W_ik + b_k: differentiate "
        "it with respect to X_bi, W_ik and b_k, and sum over what Y_bk "
        "depends on (∂R̂/∂W_ik = Σ_b ∂R̂/∂Y_bk · ∂Y_bk/∂W_ik).",
        "dY (B, D_out). dX must be (B, D_in): dY (B, D_out) times a "
        "(D_out, D_in) matrix. dW must be (D_in, D_out): a (D_in, B) matrix "
        "times dY. db (D_out,): a sum over the B rows.",
    ),
    "mse_grad": (
        "R̂ = (1/B) Σ (x̂ - x)²: the derivative of a square, and the 1/B of the average.",
        "X̂, X and the result are all (B, N).",
    ),
    "bce_grad": (
        "Differentiate each of the two logs: d/dx̂ log x̂ = 1/x̂ and d/dx̂ log(1 - x̂) "
        "= -1/(1 - x̂); keep the 1/B.",
        "X̂, X and the result are (B, N); put the two terms over the common denominator x̂ (1 - x̂).",
    ),
    "huber_grad": (
        "R̂ = (1/B) Σ h(x̂ - x): the chain rule gives h'(r) ∂r/∂x̂ = h'(r); h has "
        "two pieces, so differentiate each on its own range of |r|.",
        "Element-wise on r = X̂ - X (B, N); the result is (B, N).",
    ),
    "momentum": (
        "No derivative: the update is two lines, the velocity first, then θ.",
        "θ, v and g all have the same shape; μ and η are numbers.",
    ),
    "adam": (
        "No derivative: update m, then v, then correct both for their zero start, then step θ.",
        "θ, m, v and g all have the same shape; t, η, β1, β2 and ε are numbers.",
    ),
    "l1_grad": (
        "S = (1/B) Σ |Z_bj|: the derivative of |z| is its sign (away from 0).",
        "Z and the result are (B, L).",
    ),
    "kl_sparsity_grad": (
        "Z_bj reaches S only through ρ̂_j = (1/B) Σ_b Z_bj: "
        "∂S/∂Z_bj = ∂KL(ρ||ρ̂_j)/∂ρ̂_j · ∂ρ̂_j/∂Z_bj, and ∂ρ̂_j/∂Z_bj = 1/B.",
        "ρ̂ is (L,); ∂KL/∂ρ̂ is (L,); broadcast it to every row: the result is "
        "(B, L), each row the same.",
    ),
    "cauchy_grad": (
        "S = (1/B) Σ log(1 + z²): the derivative of a log, times the derivative "
        "of what is inside it.",
        "Element-wise: Z and the result are (B, L).",
    ),
    "sparse_autoencoder_backward": (
        "Backward from R̂: ∂R̂/∂X̂ (the loss), through the output sigmoid and the decoder's "
        "Linear to Z (the decoder's part of ∇_Z R̂); add λ ∇_Z S(Z) at Z; then through the "
        "code's sigmoid and the encoder's Linear.",
        "∂R̂/∂X̂ (B, N); through the decoder's sigmoid (B, N); its Linear gives dZ_decoder "
        "(B, L), dW2 (L, N), db2 (N,); dZ_penalty (B, L); the sum through the code's "
        "sigmoid (B, L); the encoder's Linear gives dW1 (N, L), db1 (L,).",
    ),
    "tied_autoencoder_backward": (
        "W appears twice (in Z = σ(X W + b1) and in X̂ = Z Wᵀ + b2): its gradient is the "
        "sum of the two paths' gradients, each found as if the other W were a constant.",
        "dX̂ = ∂R̂/∂X̂ (B, N); the decoder's path gives Zᵀ dX̂ (L, N), which is the gradient "
        "for Wᵀ: turn it to (N, L); dZ = dX̂ W (B, L); through σ: dA (B, L); the encoder's "
        "path gives Xᵀ dA (N, L). db1 (L,), db2 (N,): sums over the batch.",
    ),
    "contractive_penalty": (
        "J_ji = ∂z_j/∂x_i = σ'(a_j) ∂a_j/∂x_i with a = x W + b; then "
        "||J||²_F = Σ_j Σ_i J_ji², and the factor that depends on j only "
        "comes out of the sum over i.",
        "Z (B, L); z (1 - z) (B, L); Σ_i W_ij² (L,); per example a sum "
        "over j; C averages the B values: one number.",
    ),
    "contractive_grad": (
        "C depends on W twice: through the code z = σ(x W + b) (a chain "
        "through a = x W + b) and directly through Σ_i W_ij². Differentiate "
        "C = (1/B) Σ_b Σ_j s_bj² w²_j with s = z (1 - z), using "
        "ds/da = s (1 - 2z).",
        "∂C/∂A (B, L); Xᵀ ∂C/∂A (N, L); the direct "
        "term (N, L): each column j of W times a number; ∂C/∂b (L,).",
    ),
    "reparameterisation_backward": (
        "z = μ + exp(½ log σ²) ∘ ε: differentiate z with respect "
        "to μ and to log σ² (the exp's derivative, times ½), then "
        "multiply by dZ.",
        "dZ, ε, log σ² and both results are (B, L), all element-wise.",
    ),
    "gaussian_kl_grad": (
        "Differentiate -(1/2B) Σ (1 + log σ² - μ² - σ²) with respect to μ, "
        "and to log σ² (σ² = exp(log σ²), so ∂σ²/∂log σ² = σ²).",
        "μ, log σ² and both results are (B, L), element-wise.",
    ),
    "kl_prior_grad": (
        "As for N(0, I), with the prior's variance s² dividing μ² and σ²; log s² is a constant.",
        "μ, log σ² and both results are (B, L); s is a number.",
    ),
    "gaussian_nll_grad": (
        "Differentiate ½ [log σ² + (x - x̂)² exp(-log σ²)] with respect to "
        "x̂ and to log σ²; keep the 1/B.",
        "X̂, log σ², X and both results are (B, N), element-wise.",
    ),
    "conv2d_loops": (
        "No derivative: loop over the example n, the output channel o and the "
        "output pixel (i, j); each output is a sum over c, u, v.",
        "x_pad (B, C, H + 2p, W + 2p); Y (B, C_out, Ho, Wo); a patch "
        "x_pad[n, :, i·s : i·s + kh, j·s : j·s + kw] is (C, kh, kw), like W[o].",
    ),
    "conv2d_backward_loops": (
        "Run the forward's loops again: each forward term W[o,c,u,v] · "
        "x_pad[n,c,·,·] sends its share of dY[n,o,i,j] to both factors.",
        "dx_pad (B, C, H + 2p, W + 2p), cropped to (B, C, H, W) at the "
        "end; dW (C_out, C, kh, kw); db (C_out,).",
    ),
    "im2col": (
        "No derivative: copy each patch of x_pad into a column.",
        "X_col (C·kh·kw, Ho·Wo·B); column index (i·Wo + j)·B + n; a patch "
        "(C, kh, kw) flattened is one column.",
    ),
    "conv2d_im2col": (
        "No derivative: one product W_mat X_col, plus the bias.",
        "W_mat (C_out, C·kh·kw) times X_col (C·kh·kw, Ho·Wo·B) gives "
        "(C_out, Ho·Wo·B): reshape to (C_out, Ho, Wo, B), then transpose to "
        "(B, C_out, Ho, Wo).",
    ),
    "conv2d_backward_im2col": (
        "The product Y_mat = W_mat X_col + b has a Linear's "
        "gradients (exercise 3); then undo im2col: col2im adds each "
        "column back into the patch it came from.",
        "dY_mat (C_out, Ho·Wo·B); dW_mat (C_out, C·kh·kw); dX_col "
        "(C·kh·kw, Ho·Wo·B); dx (B, C, H, W).",
    ),
    "conv_transpose2d": (
        "A transposed convolution is the input gradient of a convolution: "
        "the forward of one is the backward of the other.",
        "Take a zero input of shape (B, C_in, Ho, Wo) and dY = x "
        "(B, C_out, h, w); your backward's dx is the answer.",
    ),
    "dilated_conv2d_backward": (
        "Y is a sum over the taps (u, v) of products of W[:, :, u, v] "
        "with a shifted window of x: each tap is a small Linear over "
        "the channels. Differentiate each tap's product.",
        "A window is (B, C, Ho, Wo); W[:, :, u, v] is (C_out, C); "
        "dY is (B, C_out, Ho, Wo); dW[:, :, u, v] (C_out, C) sums over "
        "n, i, j; dx (B, C, H, W) collects every window's share.",
    ),
}


def formula(task: str) -> str:
    """The third step: the text a guided stub states for ``task`` (its ``<guided>`` block),
    or the stub's docstring where it has none."""
    import ast
    from importlib import resources

    from .stub_text import guided_blocks, render
    from .tasks import TASKS

    stem = next(t.file for t in TASKS if t.name == task)
    source = (
        resources.files("minae.exercises.stubs").joinpath(f"{stem}.py").read_text(encoding="utf-8")
    )
    tree = ast.parse(source)
    function = next(n for n in tree.body if isinstance(n, ast.FunctionDef) and n.name == task)
    doc = ast.get_docstring(function) or ""
    blocks = guided_blocks(doc) or guided_blocks(ast.get_docstring(tree) or "")
    return "\n".join(blocks) if blocks else render(doc, guided=True)


def steps(task: str) -> tuple[str, str, str]:
    """The three hint steps of ``task``; KeyError for a task without hints."""
    first, second = _STEPS[task]
    return first, second, formula(task)


WITH_HINTS = tuple(_STEPS)


def taken(folder: Path) -> dict[str, int]:
    """The steps revealed so far, by task; {} when none (or the record is unreadable)."""
    try:
        record = json.loads((Path(folder) / RECORD).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    if not isinstance(record, dict):
        return {}
    return {k: int(v) for k, v in record.items() if isinstance(v, int) and 0 < v <= 3}


def reveal(folder: Path, task: str) -> tuple[int, str]:
    """The next hint step of ``task`` for the student of ``folder``, recorded there."""
    texts = steps(task)
    record = taken(folder)
    step = min(record.get(task, 0) + 1, len(texts))
    record[task] = step
    data = json.dumps(record, indent=1, sort_keys=True).encode("utf-8")
    write_atomically(Path(folder) / RECORD, lambda f: f.write(data))
    return step, texts[step - 1]
