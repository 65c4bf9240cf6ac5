"""Marginal corruption of table cells (SCARF's view, VIME's corruption)."""

import pytest
import torch

from sklearn_ssl.augment import MarginalCorruption, OriginalAndCorrupted, marginal_corruption


def generator(seed=0):
    return torch.Generator().manual_seed(seed)


def distinct_columns(n_rows=200, n_features=10):
    """Cell (i, j) holds 1000 * j + i: every value tells its column, and no two cells agree."""
    return 1000.0 * torch.arange(n_features) + torch.arange(n_rows)[:, None]


@pytest.mark.parametrize("rate", [0.1, 0.3, 0.6])
def test_about_rate_of_the_cells_are_replaced(rate):
    X = distinct_columns()
    corrupted, mask = marginal_corruption(X, rate, generator())
    assert corrupted.shape == mask.shape == X.shape and mask.dtype == torch.bool
    assert abs(mask.float().mean().item() - rate) < 0.04  # 2000 independent cells
    assert torch.equal(corrupted[~mask], X[~mask])  # the other cells are kept
    # a replaced cell differs unless its donor is its own row (1 in 200)
    assert (corrupted[mask] != X[mask]).float().mean() > 0.95


def test_each_replacement_comes_from_the_same_column_of_the_batch():
    X = distinct_columns()
    corrupted, mask = marginal_corruption(X, 0.5, generator())
    rows, columns = mask.nonzero(as_tuple=True)
    values = corrupted[rows, columns]
    assert torch.equal(torch.div(values, 1000, rounding_mode="floor"), columns.float())
    assert torch.isin(values, X).all()  # a value of another row, not a made-up one
    donors = values - 1000 * columns  # the donor row of each replaced cell
    assert len(donors.unique()) > 100  # donors are spread over the batch


def test_the_generator_reproduces_the_corruption():
    X = distinct_columns(50, 4)
    first = marginal_corruption(X, 0.3, generator(1))
    again = marginal_corruption(X, 0.3, generator(1))
    other = marginal_corruption(X, 0.3, generator(2))
    assert torch.equal(first[0], again[0]) and torch.equal(first[1], again[1])
    assert not torch.equal(first[1], other[1])


@pytest.mark.parametrize(("rate", "replaced"), [(0.0, False), (1.0, True)])
def test_rate_zero_keeps_every_cell_and_rate_one_replaces_every_cell(rate, replaced):
    X = distinct_columns(20, 3)
    corrupted, mask = marginal_corruption(X, rate, generator())
    assert bool(mask.all()) is replaced and bool(mask.any()) is replaced
    if not replaced:
        assert torch.equal(corrupted, X)


def test_module_form_returns_both_outputs_of_the_function():
    X = distinct_columns(30, 4)
    corrupted, mask = MarginalCorruption(0.4)(X, generator(3))
    expected, expected_mask = marginal_corruption(X, 0.4, generator(3))
    assert torch.equal(corrupted, expected) and torch.equal(mask, expected_mask)


def test_original_and_corrupted_returns_x_itself_first():
    X = distinct_columns(30, 4)
    original, corrupted = OriginalAndCorrupted(0.4)(X, generator(3))
    assert original is X
    assert torch.equal(corrupted, marginal_corruption(X, 0.4, generator(3))[0])
    assert not torch.equal(corrupted, X)
