"""The backend's promise, checked without a GPU: compute code never takes arrays to NumPy.

Every layer, loss, penalty, model, optimizer, corruption and PCA runs a forward and a
backward (or a fit) twice: with NumPy, and with ``strict`` (``tests/strict_device.py``),
whose arrays refuse implicit conversion to NumPy and refuse host arrays mixed in, as
CuPy's do. Under ``strict`` every array minae hands back must be a device array, and
the numbers must equal NumPy's bit for bit (both compute with NumPy underneath).
"""

from __future__ import annotations

import numpy as np
import pytest
from strict_device import DeviceArray, HostArrayError, strict

import minae
from minae.datasets import corruptions
from minae.infrastructure import backend


@pytest.fixture
def on_device(monkeypatch):
    def switch(device: bool) -> None:
        monkeypatch.setitem(backend._state, "xp", strict if device else np)

    yield switch
    switch(False)


def host_batch(shape, seed=0):
    return np.random.default_rng(seed).uniform(0.05, 0.95, size=shape).astype(np.float32)


def collect(results: dict, device: bool) -> dict:
    """Check where each array lives, then bring it to the host to compare."""
    out = {}
    for name, value in results.items():
        if device and not np.isscalar(value):
            assert isinstance(value, DeviceArray), f"{name} came back as {type(value).__name__}"
        out[name] = np.asarray(minae.to_host(value)) if not np.isscalar(value) else value
    return out


def run_twice(on_device, scenario):
    """The scenario on NumPy, then on the stand-in device: the same numbers, bit for bit."""
    on_device(False)
    expected = collect(scenario(), device=False)
    on_device(True)
    got = collect(scenario(), device=True)
    assert got.keys() == expected.keys()
    for name in expected:
        np.testing.assert_array_equal(got[name], expected[name], err_msg=name)


def layer_pass(layer, X_host, grad_seed=1):
    X = minae.to_device(X_host)
    Y = layer.forward(X)
    dY = minae.to_device(host_batch(Y.shape, grad_seed))
    dX = layer.backward(dY)
    results = {"Y": Y, "dX": dX}
    results.update({f"d{name}": p.grad for name, p in layer.named_parameters().items()})
    return results


def test_the_stand_in_refuses_what_cupy_refuses():
    x = strict.ones(3)
    with pytest.raises(TypeError, match="Implicit conversion"):
        np.asarray(x)
    with pytest.raises(HostArrayError):
        x + np.ones(3)
    with pytest.raises(HostArrayError):
        strict.maximum(x, np.ones(3))
    with pytest.raises(AttributeError, match="on the host"):
        strict.random.default_rng(0)
    assert isinstance(x * 2.0 + np.float32(1), DeviceArray)  # scalars are welcome
    assert isinstance(minae.to_host(x), np.ndarray)


def test_host_numbers_assigned_to_a_parameter_move_to_the_device(on_device):
    """``layer.W.value = K`` with a NumPy K, as a lesson sets a hand-made kernel."""
    on_device(True)
    conv = minae.Conv2d(1, 1, 3, rng=0)
    K = np.arange(9, dtype=np.float32).reshape(1, 1, 3, 3)
    conv.W.value = K
    conv.W.grad = -K
    assert isinstance(conv.W.value, DeviceArray) and isinstance(conv.W.grad, DeviceArray)
    np.testing.assert_array_equal(minae.to_host(conv.W.value), K)
    np.testing.assert_array_equal(minae.to_host(conv.W.grad), -K)


@pytest.mark.parametrize("activation", ["relu", "sigmoid", "tanh", "identity"])
def test_mlp_layers(on_device, activation):
    def scenario():
        net = minae.mlp([12, 8, 5], activation=activation, output_activation="sigmoid", rng=0)
        return layer_pass(net, host_batch((6, 12)))

    run_twice(on_device, scenario)


def test_flatten_and_unflatten(on_device):
    def scenario():
        net = minae.Sequential(
            minae.Flatten(), minae.Linear(12, 12, rng=0), minae.Unflatten((3, 4))
        )
        return layer_pass(net, host_batch((5, 3, 4)))

    run_twice(on_device, scenario)


@pytest.mark.parametrize(
    "loss", [minae.MSE(), minae.BCE(), minae.BCEWithLogits()], ids=["MSE", "BCE", "BCEWithLogits"]
)
def test_losses(on_device, loss):
    def scenario():
        output, target = (
            minae.to_device(host_batch((4, 7), 1)),
            minae.to_device(host_batch((4, 7), 2)),
        )
        return {"value": float(loss.value(output, target)), "grad": loss.grad(output, target)}

    run_twice(on_device, scenario)


def autoencoder_pass(model, X_host):
    X = minae.to_device(X_host)
    model.forward(X)
    terms = model.loss(X)
    grads = model.backward()
    results = {name: float(value) for name, value in terms.as_dict().items()}
    results.update(
        {
            name: value
            for name, value in vars(grads).items()
            if value is not None and not isinstance(value, dict)
        }
    )
    results.update({f"param{k}": p.grad for k, p in enumerate(model.parameters())})
    return results


def small_autoencoder(rng=0, code_activation="sigmoid"):
    encoder = minae.mlp([10, 6], activation="sigmoid", output_activation=code_activation, rng=rng)
    decoder = minae.mlp([6, 10], activation="sigmoid", output_activation="sigmoid", rng=rng)
    return encoder, decoder


@pytest.mark.parametrize(
    "penalties",
    [
        {},
        {"l1": (0.1, minae.L1())},
        {"kl": (0.5, minae.KLSparsity(rho=0.1))},
        {"wd": (1e-3, minae.WeightDecay())},
    ],
    ids=["plain", "L1", "KL", "weight-decay"],
)
def test_autoencoders(on_device, penalties):
    def scenario():
        encoder, decoder = small_autoencoder()
        model = minae.Autoencoder(encoder, decoder, minae.MSE(), penalties=penalties)
        return autoencoder_pass(model, host_batch((5, 10)))

    run_twice(on_device, scenario)


def test_contractive_autoencoder(on_device):
    def scenario():
        encoder, decoder = small_autoencoder()
        model = minae.ContractiveAutoencoder(encoder, decoder, minae.MSE(), lam=0.3)
        return autoencoder_pass(model, host_batch((5, 10)))

    run_twice(on_device, scenario)


def test_linear_autoencoder(on_device):
    def scenario():
        return autoencoder_pass(minae.linear_autoencoder(10, 3, rng=0), host_batch((5, 10)))

    run_twice(on_device, scenario)


def test_vae(on_device):
    def scenario():
        encoder = minae.mlp([10, 8, 6], activation="tanh", output_activation="identity", rng=0)
        decoder = minae.mlp([3, 8, 10], activation="tanh", output_activation="sigmoid", rng=1)
        model = minae.VAE(encoder, decoder, minae.BCE(), rng=2)
        return autoencoder_pass(model, host_batch((5, 10)))

    run_twice(on_device, scenario)


@pytest.mark.parametrize(
    "make_optimizer",
    [
        lambda params: minae.SGD(params, lr=0.1, momentum=0.9),
        lambda params: minae.Adam(params, lr=1e-2, threads=2),
    ],
    ids=["SGD-momentum", "Adam"],
)
def test_training_and_evaluation(on_device, make_optimizer):
    def scenario():
        encoder, decoder = small_autoencoder()
        model = minae.Autoencoder(encoder, decoder, minae.MSE(), penalty=minae.L1(), lam=1e-2)
        optimizer = make_optimizer(model.parameters())
        X = host_batch((40, 10))
        history = minae.train(
            model,
            optimizer,
            X,
            epochs=2,
            batch_size=16,
            rng=3,
            corrupt=corruptions.masking_noise,
            progress=False,
        )
        results = {f"param{k}": p.value for k, p in enumerate(model.parameters())}
        results.update({f"train {name}": values[-1] for name, values in history.train.items()})
        results.update(minae.evaluate(model, X, batch_size=16))
        results["reconstruction"] = model.reconstruct(minae.to_device(X))
        return results

    run_twice(on_device, scenario)


@pytest.mark.parametrize(
    "corrupt",
    [
        lambda X, rng: corruptions.gaussian_noise(X, rng),
        lambda X, rng: corruptions.masking_noise(X, rng),
        lambda X, rng: corruptions.salt_and_pepper(X, rng),
        lambda X, rng: corruptions.downsample_upsample(X, rng, factor=2, shape=(4, 4)),
        lambda X, rng: corruptions.block_masking(X, rng, size=2, shape=(4, 4)),
    ],
    ids=["gaussian", "masking", "salt-and-pepper", "downsample", "block"],
)
def test_corruptions(on_device, corrupt):
    def scenario():
        return {
            "corrupted": corrupt(minae.to_device(host_batch((3, 16))), np.random.default_rng(0))
        }

    run_twice(on_device, scenario)


def test_rgb_to_gray(on_device):
    run_twice(
        on_device, lambda: {"gray": corruptions.rgb_to_gray(minae.to_device(host_batch((3, 12))))}
    )


@pytest.mark.parametrize("solver", ["svd", "eigh"])
def test_pca(on_device, solver):
    def scenario():
        X = minae.to_device(host_batch((30, 8)))
        pca = minae.PCA(3, solver=solver, whiten=True).fit(X)
        Z = pca.transform(X)
        other = minae.to_device(host_batch((8, 3)))
        return {
            "components": pca.components_,
            "variance": pca.explained_variance_,
            "Z": Z,
            "X_hat": pca.inverse_transform(Z),
            "angles": minae.subspace_angles(pca.components_.T, other),
        }

    run_twice(on_device, scenario)


@pytest.mark.parametrize(
    "make_layer",
    [
        lambda: minae.Conv2d(2, 3, 3, stride=2, padding=1, rng=0),
        lambda: minae.ConvTranspose2d(2, 3, 3, stride=2, padding=1, output_padding=1, rng=0),
        lambda: minae.MaxPool2d(2, ceil_mode=True),
        lambda: minae.MaxPool2d(3, 2, 1),
        lambda: minae.AvgPool2d(2),
        lambda: minae.Upsample2d(2),
    ],
    ids=["conv", "conv-T", "max-pool", "max-pool-overlap", "avg-pool", "upsample"],
)
def test_image_layers(on_device, make_layer):
    run_twice(on_device, lambda: layer_pass(make_layer(), host_batch((3, 2, 7, 6))))


def test_a_convolution_in_bands(on_device, monkeypatch):
    # forward_in_bands (large batches) builds its columns through the array module too
    from minae.fast import conv2d_products

    monkeypatch.setattr(conv2d_products, "WHOLE_COLUMNS_BYTES", 0)
    monkeypatch.setattr(conv2d_products, "BAND_BYTES", 500)  # bands of a few rows
    run_twice(
        on_device,
        lambda: layer_pass(minae.Conv2d(2, 3, 3, padding=1, rng=0), host_batch((3, 2, 7, 6))),
    )
