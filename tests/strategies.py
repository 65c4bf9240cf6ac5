"""Hypothesis strategies for hostile inputs, and the rule every case must obey.

:data:`STRATEGIES` maps an input kind (``Case.kind``, one of ``KINDS`` in
``tests/registry.py``) to named categories of inputs. :func:`outcome` fits a
clone of an estimator on one input and checks the rule: either it works
(finite embeddings, one row per input row, ``n_components_`` columns) or it
raises ``ValueError`` / ``TypeError`` with a message that says what was
expected. Anything else (another exception, a crash, non-finite output) fails.
:data:`PINNED` holds inputs that once broke the rule, run as explicit examples.
"""

import warnings

import hypothesis.extra.numpy as hnp
import numpy as np
import pandas as pd
import scipy.sparse as sp
from hypothesis import strategies as st
from sklearn.base import clone
from sklearn.utils.validation import _num_samples

from sklearn_ssl.exceptions import CollapseWarning
from tests.registry import IMAGE, SERIES, TABLE, TEXT

#: Words of which an error message must contain one: it says what to change.
ADVICE_WORDS = (
    "expected", "required", "use ", "encode", "rescale", "needs", "must", "convert", "dense",
    "reshape", "not supported", "accept", "take", "replace", "first", "pass ", "set ", "drop ",
    "fill ",
)  # fmt: skip

rows = st.integers(0, 6)
columns = st.integers(0, 4)
finite = st.floats(-1e3, 1e3, allow_nan=False, width=64)


def _float_tables(elements=finite, dtype=np.float64, min_rows=0, min_columns=0):
    shapes = st.tuples(st.integers(min_rows, 6), st.integers(min_columns, 4))
    return hnp.arrays(dtype, shapes, elements=elements)


def _shapes():
    """0, 1, 2 or more rows, 0 or more columns, and 1-D and 3-D arrays."""
    return st.one_of(
        _float_tables(),
        hnp.arrays(np.float64, hnp.array_shapes(min_dims=1, max_dims=1, max_side=6)),
        hnp.arrays(
            np.float64, hnp.array_shapes(min_dims=3, max_dims=3, max_side=4), elements=finite
        ),
    )


def _dtypes():
    """Integer, unsigned, bool, float16/32/64 and complex arrays."""
    dtype = st.sampled_from(
        [np.int8, np.int32, np.int64, np.uint8, np.uint64, np.bool_, np.float16, np.float32,
         np.float64, np.complex64, np.complex128]
    )  # fmt: skip
    return dtype.flatmap(
        lambda dtype: hnp.arrays(dtype, st.tuples(st.integers(2, 6), st.integers(1, 4)))
    )


def _objects():
    """Object arrays of numbers, strings, None and mixtures."""
    cell = st.one_of(st.integers(-5, 5), finite, st.text(max_size=3), st.none())
    return st.tuples(st.integers(2, 6), st.integers(1, 3)).flatmap(
        lambda shape: st.lists(
            st.lists(cell, min_size=shape[1], max_size=shape[1]),
            min_size=shape[0],
            max_size=shape[0],
        ).map(lambda cells: np.array(cells, dtype=object))
    )


def _non_finite():
    """Float tables with NaN, +inf or -inf somewhere."""
    cell = st.one_of(finite, st.sampled_from([np.nan, np.inf, -np.inf]))
    return _float_tables(cell, min_rows=2, min_columns=1).filter(lambda X: not np.isfinite(X).all())


def _magnitudes():
    """Columns scaled by 10**e for e in [-30, 30], e drawn per column."""
    return st.tuples(_float_tables(min_rows=2, min_columns=1), st.data()).map(
        lambda args: (
            args[0]
            * 10.0
            ** np.array(
                args[1].draw(
                    st.lists(
                        st.integers(-30, 30), min_size=args[0].shape[1], max_size=args[0].shape[1]
                    )
                )
            )
        )
    )


def _degenerate():
    """Constant columns and duplicate rows."""
    base = _float_tables(min_rows=2, min_columns=1)
    return st.one_of(
        base.map(lambda X: np.concatenate([X, np.full((len(X), 1), 7.0)], axis=1)),
        base.map(lambda X: np.repeat(X[:1], len(X), axis=0)),
        base.map(lambda X: np.concatenate([X, X])),
        base.map(np.zeros_like),
    )


def _containers():
    """Lists of lists (some ragged), sparse matrices, pandas with mixed dtypes."""
    table = _float_tables(min_rows=2, min_columns=1)
    ragged = st.lists(st.lists(finite, min_size=1, max_size=3), min_size=2, max_size=5)
    sparse = table.flatmap(
        lambda X: st.sampled_from([sp.csr_matrix(X), sp.csc_matrix(X), sp.coo_array(X)])
    )
    return st.one_of(table.map(lambda X: X.tolist()), ragged, sparse, _frames())


def _frames():
    n = st.integers(2, 6)
    return n.flatmap(
        lambda n: st.lists(
            st.sampled_from(list(_FRAME_KINDS)),
            min_size=1,
            max_size=4,
        ).map(lambda kinds: _frame(n, kinds))
    )


_FRAME_KINDS = (
    "int", "float", "bool", "category", "string", "nullable", "datetime", "float32", "holes",
    "mixed", "empty",
)  # fmt: skip


def _frame(n, kinds):
    rng = np.random.default_rng(n)
    makers = {
        "int": lambda: rng.integers(-3, 3, n),
        "float": lambda: rng.normal(size=n),
        "float32": lambda: rng.normal(size=n).astype(np.float32),
        "bool": lambda: rng.random(n) > 0.5,
        "category": lambda: pd.Categorical(rng.choice(["a", "b"], n)),
        "string": lambda: rng.choice(["x", "y"], n).astype(object),
        "nullable": lambda: pd.array([1, None] * (n // 2) + [2] * (n % 2), dtype="Int64"),
        "datetime": lambda: pd.date_range("2020-01-01", periods=n),
        "holes": lambda: np.where(rng.random(n) > 0.5, rng.choice(["x", "y"], n), None),
        "mixed": lambda: np.array(["x", 1] * (n // 2) + ["y"] * (n % 2), dtype=object),
        "empty": lambda: np.full(n, np.nan),
    }
    return pd.DataFrame({f"{kind}{i}": makers[kind]() for i, kind in enumerate(kinds)})


def _texts():
    """Lists of ordinary, empty and non-ASCII strings."""
    return st.lists(st.text(max_size=40), min_size=0, max_size=6)


def _bad_text_items():
    """Lists of strings with None, bytes, numbers or NaN among them."""
    odd = st.one_of(st.none(), st.binary(max_size=8), st.integers(), st.just(float("nan")))
    return st.lists(st.one_of(st.text(max_size=10), odd), min_size=2, max_size=6).filter(
        lambda items: not all(isinstance(item, str) for item in items)
    )


def _huge_texts():
    """A few strings of up to a million characters: must not hang."""
    size = st.sampled_from([10**4, 10**5, 10**6])
    return st.lists(size.map(lambda n: "word " * (n // 5)), min_size=2, max_size=3)


def _text_containers():
    """A bare string, 2-D string arrays, pandas Series and DataFrames of strings."""
    words = st.lists(st.text(min_size=1, max_size=10), min_size=2, max_size=6)
    return st.one_of(
        st.text(max_size=20),
        words.map(lambda w: np.array(w, dtype=object).reshape(-1, 1)),
        words.map(pd.Series),
        words.map(lambda w: pd.DataFrame({"text": w})),
        words.map(np.array),
    )


def _image_arrays():
    """3-D and 4-D image arrays: any layout, uint8 or float, tiny to small sides."""
    dtype = st.sampled_from([np.uint8, np.float32, np.float64])
    shape = st.one_of(
        st.tuples(st.integers(0, 5), st.integers(1, 9), st.integers(1, 9)),
        st.tuples(st.integers(0, 5), st.integers(1, 9), st.integers(1, 9), st.integers(1, 4)),
        st.tuples(st.integers(0, 5), st.integers(1, 4), st.integers(1, 9), st.integers(1, 9)),
    )
    return st.tuples(dtype, shape).flatmap(
        lambda args: hnp.arrays(
            args[0], args[1], elements=hnp.from_dtype(np.dtype(args[0]), min_value=0, max_value=255)
        )
    )


def _collections():
    """3-D arrays (n_cases, n_channels, n_timepoints): float32/64, 0 to 5 cases, length 0 to 9."""
    dtype = st.sampled_from([np.float32, np.float64])
    shape = st.tuples(st.integers(0, 5), st.integers(0, 3), st.integers(0, 9))
    return st.tuples(dtype, shape).flatmap(lambda a: hnp.arrays(a[0], a[1], elements=finite))


def _series(channels, length):
    return hnp.arrays(np.float64, (channels, length), elements=finite)


def _unequal_lengths():
    """Lists of series of unequal lengths (1 to 12), 2-D or 1-D, some with other channel counts."""
    channels = st.integers(1, 3)
    same = channels.flatmap(
        lambda c: st.lists(st.integers(1, 12).flatmap(lambda n: _series(c, n)), min_size=2,
                           max_size=6)
    )  # fmt: skip
    univariate = st.lists(
        st.integers(1, 12).flatmap(lambda n: _series(1, n).map(lambda s: s[0])),
        min_size=2,
        max_size=6,
    )
    mixed = st.lists(
        st.tuples(st.integers(0, 3), st.integers(0, 6)).flatmap(lambda s: _series(*s)),
        min_size=2,
        max_size=5,
    )  # mismatched channels, empty series
    return st.one_of(same, univariate, mixed)


def _with_nan_runs(X, data):
    """``X`` with runs of NaN in random series, channels and spans (whole series included)."""
    X = X.copy()
    for _ in range(data.draw(st.integers(1, 4))):
        case = data.draw(st.integers(0, len(X) - 1))
        channel = data.draw(st.integers(0, X.shape[1] - 1))
        start = data.draw(st.integers(0, X.shape[2] - 1))
        stop = data.draw(st.integers(start + 1, X.shape[2]))
        X[case, channel, start:stop] = np.nan
    return X


def _nan_runs():
    """Collections with NaN runs: missing timestamps, trailing padding, all-missing series."""
    shape = st.tuples(st.integers(2, 5), st.integers(1, 3), st.integers(1, 9))
    arrays = shape.flatmap(lambda s: hnp.arrays(np.float64, s, elements=finite))
    return st.tuples(arrays, st.data()).map(lambda args: _with_nan_runs(*args))


def _degenerate_series():
    """Constant series, all zeros, duplicates and length-1 series."""
    shape = st.tuples(st.integers(2, 5), st.integers(1, 2), st.integers(1, 8))
    base = shape.flatmap(lambda s: hnp.arrays(np.float64, s, elements=finite))
    return st.one_of(
        base.map(lambda X: np.broadcast_to(X[:, :, :1], X.shape).copy()),
        base.map(np.zeros_like),
        base.map(lambda X: np.repeat(X[:1], len(X), axis=0)),
        base.map(lambda X: X[:, :, :1]),
    )


def _huge_series():
    """Series scaled by 10**e for e in [-40, 40], per series: up to beyond float32."""
    shape = st.tuples(st.integers(2, 5), st.integers(1, 2), st.integers(1, 8))
    base = shape.flatmap(lambda s: hnp.arrays(np.float64, s, elements=st.floats(-1, 1)))
    return st.tuples(base, st.data()).map(
        lambda args: args[0]
        * 10.0
        ** np.array(
            args[1].draw(st.lists(st.integers(-40, 40), min_size=len(args[0]),
                                  max_size=len(args[0])))
        )[:, None, None]
    )  # fmt: skip


def _high_dimensional():
    """4-D and 5-D arrays, and single series (1-D)."""
    return st.one_of(
        hnp.arrays(np.float64, hnp.array_shapes(min_dims=4, max_dims=5, max_side=3),
                   elements=finite),
        hnp.arrays(np.float64, hnp.array_shapes(min_dims=1, max_dims=1, max_side=6),
                   elements=finite),
    )  # fmt: skip


STRATEGIES = {
    TABLE: {
        "shapes": _shapes(),
        "dtypes": _dtypes(),
        "objects": _objects(),
        "non_finite": _non_finite(),
        "magnitudes": _magnitudes(),
        "degenerate": _degenerate(),
        "containers": _containers(),
    },
    IMAGE: {
        "images": _image_arrays(),
        "shapes": _shapes(),
        "dtypes": _dtypes(),
        "objects": _objects(),
        "non_finite": _non_finite(),
        "magnitudes": _magnitudes(),
        "degenerate": _degenerate(),
        "containers": _containers(),
    },
    SERIES: {
        "collections": _collections(),
        "unequal_lengths": _unequal_lengths(),
        "nan_runs": _nan_runs(),
        "degenerate": _degenerate_series(),
        "huge": _huge_series(),
        "high_dimensional": _high_dimensional(),
        "tables": _shapes(),
        "dtypes": _dtypes(),
        "objects": _objects(),
        "non_finite": _non_finite(),
        "containers": _containers(),
    },
    TEXT: {
        "texts": _texts(),
        "bad_items": _bad_text_items(),
        "huge": _huge_texts(),
        "containers": _text_containers(),
    },
}


#: Inputs that once broke the rule, by kind and category: run every time, beside the draws.
PINNED = {
    TEXT: {
        # no token beyond the special ones: BertMasking drew from an empty id range (issue 28)
        "containers": [[" ", "\x1b"]],
    },
}


def outcome(estimator, X):
    """Fit a clone of ``estimator`` on ``X`` and embed ``X``; check the rule.

    Returns
    -------
    outcome : str
        ``"works"``, ``"ValueError"`` or ``"TypeError"``.
    """
    est = clone(estimator)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", CollapseWarning)  # expected on degenerate rows
            embeddings = est.fit(X).transform(X)
    except (ValueError, TypeError) as exc:
        message = str(exc)
        assert any(word in message.lower() for word in ADVICE_WORDS), (
            f"{type(exc).__name__} gives no advice: {message!r}"
        )
        return type(exc).__name__
    # the embeddings, then with the table methods' passthrough the encoded input
    assert embeddings.shape == (_num_samples(X), len(est.get_feature_names_out()))
    assert embeddings.shape[1] >= est.n_components_
    assert np.isfinite(embeddings).all()
    return "works"
