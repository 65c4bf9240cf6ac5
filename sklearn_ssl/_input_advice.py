"""Add what to change to scikit-learn's input validation errors."""

import contextlib

#: Fragments of scikit-learn / NumPy validation messages, and the advice to add.
_NUMERIC = (
    "X must be numeric: encode text or categorical columns first (e.g. with "
    "OneHotEncoder in a ColumnTransformer)."
)
ADVICE = {
    "contains infinity": "Replace or clip infinite values first (e.g. with np.nan_to_num).",
    "could not convert": _NUMERIC,
    "Cannot cast": _NUMERIC,
    "could not be promoted": _NUMERIC,
    "float() argument": _NUMERIC,
    "Complex data": "X must be real: pass np.real(X), np.abs(X) or both parts as columns.",
    "inhomogeneous shape": "Every row of X must have the same number of values.",
}


@contextlib.contextmanager
def explain_invalid_input(estimator):
    """Re-raise a known validation ``ValueError`` or ``TypeError`` with advice appended.

    Parameters
    ----------
    estimator : BaseEstimator
        Named in the new message.
    """
    try:
        yield
    except (ValueError, TypeError) as exc:
        advice = [text for fragment, text in ADVICE.items() if fragment in str(exc)]
        if not advice:
            raise
        error = TypeError if isinstance(exc, TypeError) else ValueError
        raise error(f"{type(estimator).__name__}: {exc} {' '.join(advice)}") from exc
