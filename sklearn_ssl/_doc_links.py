"""The "?" link of every estimator's HTML repr, to its page of the API reference.

The documentation is built from ``docs/`` with ``make docs``; it is not
published online yet, so :data:`DOCS_URL` is None and the HTML repr shows no
link (a link to a page that does not exist is worse than none). Publishing it
means setting :data:`DOCS_URL` to the site's root.
"""

#: Root of the published documentation (ending in "/"), or None while unpublished.
DOCS_URL = None


class DocLinkMixin:
    """Point scikit-learn's HTML repr at this project's docs, once they are published.

    Every public estimator has its page as ``sklearn_ssl.<name>`` (its
    top-level import path), whichever data kind's subpackage defines it;
    docs/sphinxext/api_page.py names the API pages this way.
    """

    _doc_link_module = "sklearn_ssl"

    @property
    def _doc_link_template(self):
        return f"{DOCS_URL}api/generated/{{estimator_module}}.{{estimator_name}}.html"

    def _doc_link_url_param_generator(self):
        return {"estimator_module": "sklearn_ssl", "estimator_name": type(self).__name__}

    def _get_doc_link(self):
        return "" if DOCS_URL is None else super()._get_doc_link()
