"""The "?" link of every estimator's HTML repr, to its page of the API reference."""


class DocLinkMixin:
    """Point scikit-learn's HTML repr at this project's docs.

    docs/sphinxext/api_page.py names the API pages this way.
    """

    _doc_link_module = "sklearn_ssl"
    _doc_link_template = (
        "https://sklearn-ssl.readthedocs.io/en/latest/api/generated/"
        "{estimator_module}.{estimator_name}.html"
    )
