"""The MR movie-review loader."""

import pytest

from sklearn_ssl.datasets import load_mr


def test_load_mr(tmp_path):
    (tmp_path / "rt-polarity.pos").write_bytes(
        "a gem\x85 truly .\ncaf\xe9 charm\n".encode("latin-1")
    )
    (tmp_path / "rt-polarity.neg").write_bytes(b"a mess .\n\n")
    X, y = load_mr(tmp_path)
    assert list(X) == ["a gem\x85 truly .", "caf\xe9 charm", "a mess ."]
    assert list(y) == [1, 1, 0]
    with pytest.raises(FileNotFoundError, match="rt-polarity"):
        load_mr(tmp_path / "missing")
