"""Add what to change to scikit-learn's input validation errors."""

import contextlib
import re

#: Fragments of scikit-learn / NumPy validation messages, and the advice to add.
_NUMERIC = (
    "X must be numeric: encode text or categorical columns first (e.g. with "
    "OneHotEncoder in a ColumnTransformer), or learn from strings with "
    "MaskedLanguageModel."
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
        raise error(f"{type(estimator).__name__}: {_sentence(exc)} {' '.join(advice)}") from exc


def _sentence(exc):
    """The error's message as a sentence, NumPy scalar reprs (``np.str_('a')``) as plain values."""
    message = _NUMPY_REPR.sub(r"\1", str(exc)).strip()
    return message if message.endswith((".", "!", "?")) else message + "."


_NUMPY_REPR = re.compile(r"np\.\w+\((.*?)\)")
