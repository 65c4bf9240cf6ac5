"""Pretext tasks in plain torch: siamese views, rotations, masked images, BYOL."""

import pytest
import torch
from torch import nn

from sklearn_ssl.augment import ImageAugment, Views, random_patch_mask
from sklearn_ssl.encoders import PixelScale, VisionTransformer, patchify
from sklearn_ssl.heads import PatchDecoder, projection_head
from sklearn_ssl.losses import NTXentLoss
from sklearn_ssl.tasks import BYOLTask, MaskedImageTask, RotationTask, SiameseTask, rotate_all

# -- siamese views ---------------------------------------------------------------


class FixedViews(nn.Module):
    """``n_views`` views of a batch that differ in a known way: view k is ``(k + 1) * X + k``."""

    def __init__(self, n_views):
        super().__init__()
        self.n_views = n_views

    def forward(self, X, generator=None):
        return tuple(view(X, k) for k in range(self.n_views))


def view(X, k):
    return (k + 1) * X + k


def squared_distance(z_a, z_b):
    return (z_a - z_b).pow(2).sum(dim=1).mean()


def siamese_task(n_views, loss=squared_distance):
    torch.manual_seed(0)
    encoder = nn.Sequential(nn.Linear(4, 3), nn.Tanh())  # non-linear: the pairs differ
    return SiameseTask(encoder, nn.Linear(3, 2), FixedViews(n_views), loss)


def projections(task, X, n_views):
    with torch.no_grad():
        return [task.projector(task.encoder(view(X, k))) for k in range(n_views)]


def test_siamese_loss_with_three_views_is_the_mean_over_the_three_pairs():
    task = siamese_task(3)
    X = torch.randn(5, 4, generator=torch.Generator().manual_seed(1))
    z = projections(task, X, 3)
    pairs = [
        squared_distance(z[0], z[1]),
        squared_distance(z[0], z[2]),
        squared_distance(z[1], z[2]),
    ]
    torch.testing.assert_close(task(X)["loss"], sum(pairs) / 3)
    assert len({round(float(loss), 4) for loss in pairs}) == 3  # the pairs do differ


def test_siamese_loss_with_two_views_is_the_loss_of_the_pair():
    task = siamese_task(2)
    X = torch.randn(5, 4, generator=torch.Generator().manual_seed(1))
    z = projections(task, X, 2)
    torch.testing.assert_close(task(X)["loss"], squared_distance(z[0], z[1]))


def test_siamese_views_go_through_the_encoder_in_one_batch():
    task = siamese_task(3)
    batches = []
    task.encoder.register_forward_hook(lambda module, args, out: batches.append(len(args[0])))
    task(torch.randn(5, 4))
    assert batches == [15]
    assert task.view_encoder is task.encoder  # None means the encoder itself


def test_siamese_loss_passes_the_generator_to_the_views():
    seen = []

    class Recorded(FixedViews):
        def forward(self, X, generator=None):
            seen.append(generator)
            return super().forward(X, generator)

    task = SiameseTask(nn.Linear(4, 3), nn.Identity(), Recorded(2), squared_distance)
    generator = torch.Generator()
    task(torch.randn(5, 4), generator)
    assert seen == [generator]


# -- views of different shapes (multi-crop) -------------------------------------------


def pooling_cnn(batch_norm=False):
    """A small conv encoder that pools globally: any image size embeds 8 wide."""
    torch.manual_seed(0)
    norm = [nn.BatchNorm2d(8)] if batch_norm else []
    return nn.Sequential(
        nn.Conv2d(3, 8, 3, padding=1), *norm, nn.ReLU(), nn.AdaptiveAvgPool2d(1), nn.Flatten()
    )  # (B, 3, H, W) -> (B, 8)


def multi_crop(X, generator=None):
    """Two global 16x16 views and two local 8x8 crops of a (B, 3, 16, 16) batch."""
    return [X, X.flip(-1), X[..., :8, :8], X[..., 8:, 8:]]


def two_views(X, generator=None):
    return [X, X.flip(-1)]


def test_siamese_views_of_different_shapes_take_one_pass_per_shape():
    task = SiameseTask(pooling_cnn(), nn.Linear(8, 4), multi_crop, NTXentLoss())
    X = torch.rand(5, 3, 16, 16, generator=torch.Generator().manual_seed(1))
    shapes = []
    task.encoder.register_forward_hook(lambda module, args, out: shapes.append(args[0].shape))
    loss = task(X)["loss"]
    assert torch.isfinite(loss) and loss.ndim == 0
    assert shapes == [(10, 3, 16, 16), (10, 3, 8, 8)]  # the two shapes, two views each
    loss.backward()
    gradient = task.encoder[0].weight.grad
    assert gradient is not None and gradient.abs().sum() > 0
    with torch.no_grad():  # the loss is the mean over all six pairs of views
        z = [task.projector(task.encoder(view)) for view in multi_crop(X)]
        pairs = [task.loss(z[i], z[j]) for i in range(4) for j in range(i + 1, 4)]
    torch.testing.assert_close(loss.detach(), sum(pairs) / 6)


def test_siamese_views_of_one_shape_give_the_loss_of_one_batch():
    """Two views of one shape still share a forward pass and its batch statistics."""

    def one_batch_loss(task, X):  # the forward pass before views could differ in shape
        views = two_views(X)
        z = task.projector(task.view_encoder(torch.cat(views))).chunk(2)  # (B, d) each
        return task.loss(z[0], z[1])

    X = torch.rand(6, 3, 16, 16, generator=torch.Generator().manual_seed(2))
    task = SiameseTask(pooling_cnn(batch_norm=True), nn.Linear(8, 4), two_views, NTXentLoss())
    reference = one_batch_loss(task, X)
    assert torch.equal(task(X)["loss"], reference)


# -- rotations -------------------------------------------------------------------


def test_rotate_all_square_images():
    images = torch.arange(2 * 3 * 3, dtype=torch.uint8).reshape(2, 1, 3, 3)
    ((rotated, labels),) = rotate_all(images)
    assert rotated.dtype == torch.uint8 and rotated.shape == (8, 1, 3, 3)
    assert labels.tolist() == [0, 0, 1, 1, 2, 2, 3, 3]
    torch.testing.assert_close(rotated[:2], images)
    # a quarter turn counter-clockwise moves the top-right pixel to the top-left
    assert rotated[2, 0, 0, 0] == images[0, 0, 0, 2]
    torch.testing.assert_close(rotated[4:6], images.flip(-1).flip(-2))


def test_rotate_all_non_square_images_keeps_two_shapes():
    images = torch.rand(3, 2, 4, 6)
    (upright, upright_labels), (turned, turned_labels) = rotate_all(images)
    assert upright.shape == (6, 2, 4, 6) and upright_labels.tolist() == [0] * 3 + [2] * 3
    assert turned.shape == (6, 2, 6, 4) and turned_labels.tolist() == [1] * 3 + [3] * 3


class _PoolCNN(torch.nn.Sequential):
    def __init__(self):
        super().__init__(
            torch.nn.Conv2d(1, 8, 3, padding=1),
            torch.nn.ReLU(),
            torch.nn.AdaptiveAvgPool2d(2),
            torch.nn.Flatten(),
        )


@pytest.mark.parametrize("shape", [(8, 8), (6, 10)])
def test_rotation_task_learns_to_tell_rotations_apart(shape):
    torch.manual_seed(0)
    # an "L" in the corner: its orientation gives the rotation away
    images = torch.zeros(16, 1, *shape)
    images[:, :, 1:5, 1] = 1.0
    images[:, :, 4, 1:4] = 1.0
    images += 0.1 * torch.rand(images.shape)
    task = RotationTask(_PoolCNN(), torch.nn.Linear(32, 4))
    out = task(images)
    assert 1.0 < out["loss"].item() < 2.0  # about log(4) before training
    optimizer = torch.optim.Adam(task.parameters(), lr=1e-2)
    for _ in range(60):
        out = task(images)
        optimizer.zero_grad()
        out["loss"].backward()
        optimizer.step()
    out = task(images)
    assert out["loss"].item() < 0.3
    assert out["accuracy"].item() > 0.9


def test_rotation_task_applies_augmentation_with_the_generator():
    calls = []

    def augment(X, generator):
        calls.append(generator)
        return X

    task = RotationTask(_PoolCNN(), torch.nn.Linear(32, 4), augment=augment)
    generator = torch.Generator()
    task(torch.rand(2, 1, 4, 4), generator)
    assert calls == [generator]


# -- masked images ---------------------------------------------------------------


def _mae_task(pool="mean", mask_ratio=0.75):
    torch.manual_seed(0)
    vit = VisionTransformer((1, 8, 8), 2, width=16, depth=1, n_heads=2, pool=pool)
    decoder = PatchDecoder(16, vit.grid, patch_dim=4, width=8, n_heads=2)
    return MaskedImageTask(vit, torch.nn.Identity(), vit, decoder, mask_ratio=mask_ratio)


@pytest.mark.parametrize("pool", ["mean", "cls"])
def test_masked_image_task_encodes_only_the_visible_patches(pool):
    task = _mae_task(pool)
    seen = []
    task.vit.blocks[0].register_forward_hook(lambda module, args, out: seen.append(out.clone()))
    images = torch.rand(5, 1, 8, 8)
    task(images, torch.Generator().manual_seed(1))
    assert seen[0].shape == (5, task.vit.n_prefix_tokens + 4, 16)  # 4 of 16 patches visible

    # new pixels in the masked patches do not change what the encoder computes
    _, mask = random_patch_mask(5, 16, 0.75, generator=torch.Generator().manual_seed(1))
    changed = patchify(images, 2)  # (5, 16, 4)
    changed[mask] = torch.rand(int(mask.sum()), 4)
    changed = changed.reshape(5, 4, 4, 2, 2).permute(0, 1, 3, 2, 4).reshape(5, 1, 8, 8)
    assert not torch.equal(changed, images)
    task(changed, torch.Generator().manual_seed(1))
    torch.testing.assert_close(seen[1], seen[0])


def test_masked_image_task_loss_goes_down():
    task = _mae_task()
    images = torch.rand(4, 1, 8, 8).repeat(8, 1, 1, 1)  # 4 distinct images
    optimizer = torch.optim.Adam(task.parameters(), lr=3e-3)
    generator = torch.Generator().manual_seed(0)
    losses = []
    for _ in range(60):
        loss = task(images, generator)["loss"]
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        losses.append(loss.item())
    assert sum(losses[-10:]) / 10 < 0.7 * sum(losses[:10]) / 10


# -- BYOL ------------------------------------------------------------------------


def small_byol_task(total_steps=10):
    encoder = torch.nn.Sequential(torch.nn.Flatten(), torch.nn.Linear(16, 8))
    augment = ImageAugment(flip=False)
    return BYOLTask(
        encoder=encoder,
        projector=projection_head(8, 16, 4),
        predictor=projection_head(4, 16, 4),
        make_views=Views(PixelScale((1, 4, 4), 0, 1), augment, augment),
        view_encoder=None,
        base_momentum=0.9,
        total_steps=total_steps,
    )


def _online_parameters(task):
    return [*task.view_encoder.parameters(), *task.projector.parameters()]


def test_byol_target_is_an_ema_of_the_online_network():
    torch.manual_seed(0)
    task = small_byol_task()
    optimizer = torch.optim.SGD(task.parameters(), lr=0.5)
    for step in range(3):
        task(torch.rand(8, 16), torch.Generator().manual_seed(step))["loss"].backward()
        optimizer.step()
        optimizer.zero_grad()
        before = [p.clone() for p in task.target.parameters()]
        tau = task.target.momentum()
        task.after_optimizer_step()
        for old, new, online in zip(
            before, task.target.parameters(), _online_parameters(task), strict=True
        ):
            torch.testing.assert_close(new, tau * old + (1 - tau) * online)
    assert task.target.steps_done == 3
    assert all(not p.requires_grad for p in task.target.parameters())
    online = torch.cat([p.flatten() for p in _online_parameters(task)])
    target = torch.cat([p.flatten() for p in task.target.parameters()])
    assert not torch.allclose(online, target)  # the target lags behind


def test_byol_momentum_rises_from_base_to_one_on_a_cosine():
    target = small_byol_task(total_steps=10).target
    assert target.momentum() == pytest.approx(0.9)
    target.steps_done = 5
    assert target.momentum() == pytest.approx(0.95)
    target.steps_done = 10
    assert target.momentum() == pytest.approx(1.0)
    target.steps_done = 25
    assert target.momentum() == pytest.approx(1.0)
