"""The "?" link of every estimator's HTML repr, to its page of the API reference."""


class DocLinkMixin:
    """Point scikit-learn's HTML repr at this project's docs.

    Every public estimator has its page as ``sklearn_ssl.<name>`` (its
    top-level import path), whichever data kind's subpackage defines it;
    docs/sphinxext/api_page.py names the API pages this way.
    """

    _doc_link_module = "sklearn_ssl"
    _doc_link_template = (
        "https://sklearn-ssl.readthedocs.io/en/latest/api/generated/"
        "{estimator_module}.{estimator_name}.html"
    )

    def _doc_link_url_param_generator(self):
        return {"estimator_module": "sklearn_ssl", "estimator_name": type(self).__name__}
