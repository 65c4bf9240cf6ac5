"""Parameters renamed in 0.2: the old name works for one more release, with a warning.

An estimator that renamed a parameter keeps the old name in its signature with
the default ``"deprecated"`` (a hidden option of its constraint), reads the
value through :func:`renamed_value`, and lists ``{old: new}`` in its class
attribute ``_renamed_parameters``, so that files and pickles written before the
rename load under the new name (:func:`under_new_names`) without a warning.
"""

import warnings
from inspect import signature

from sklearn.utils._param_validation import Hidden, StrOptions

#: The default of a renamed parameter's old name.
DEPRECATED = "deprecated"


def deprecated_option():
    """The constraint that lets an old name keep its ``"deprecated"`` default."""
    return Hidden(StrOptions({DEPRECATED}))


def renamed_value(estimator, old, new):
    """The value of parameter ``new``, or of its old name ``old`` when that one is set.

    Parameters
    ----------
    estimator : BaseEstimator
    old, new : str
        The parameter's name before and since the rename.

    Returns
    -------
    value : object

    Raises
    ------
    ValueError
        When both names are set, to different values.
    """
    old_value, new_value = getattr(estimator, old), getattr(estimator, new)
    if isinstance(old_value, str) and old_value == DEPRECATED:
        return new_value
    warnings.warn(
        f"`{old}` was renamed `{new}` in 0.2 and will be removed in 0.3; "
        f"set {new}={old_value!r} instead.",
        FutureWarning,
        stacklevel=3,
    )
    default = signature(type(estimator).__init__).parameters[new].default
    if not (_same(new_value, default) or _same(new_value, old_value)):
        raise ValueError(
            f"{old}={old_value!r} and {new}={new_value!r} disagree: {old} is the "
            f"deprecated name of {new}; set {new} only."
        )
    return old_value


def under_new_names(cls, params):
    """``params`` of a file or pickle written before a rename, under the new names.

    A value stored under an old name moves to the new one, unless the file
    also holds the new name (it was then written with the alias set). A class
    whose rename changed a meaning defines ``_older_params(params)``, which
    adapts the stored values first.

    Parameters
    ----------
    cls : type
        The estimator class, with its ``_renamed_parameters``.
    params : dict
        Parameter names to values, as stored.

    Returns
    -------
    params : dict
        A new dict.
    """
    params = dict(params)
    if hasattr(cls, "_older_params"):  # a rename that is not one-to-one
        params = cls._older_params(params)
    for old, new in getattr(cls, "_renamed_parameters", {}).items():
        if old in params and new not in params:
            params[new] = params.pop(old)
    return params


def _same(a, b):
    """Equality that tolerates values whose ``==`` is not a bool (arrays, modules)."""
    if a is b:
        return True
    try:
        return bool(a == b)
    except (TypeError, ValueError):
        return False
