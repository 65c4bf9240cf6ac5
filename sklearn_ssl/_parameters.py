"""Parameters and fitted attributes that several estimators share, declared once.

A shared parameter is one :class:`SharedParameter`: its numpydoc type and
text, its ``_parameter_constraints`` entry and its default. The class that
owns it lists it in ``_shared_parameters`` (the shell its training
parameters, a data kind's base class the parameters of that kind's input
rule, ...); a fitted attribute that several estimators set is a
:class:`SharedAttribute` in ``_shared_attributes``.

Estimators keep explicit ``__init__`` signatures, scikit-learn's convention
(``get_params`` reads them), assign them with :func:`assign_parameters`, and
document only their own parameters. :class:`SharedDocs`, a base of every
public estimator, completes each docstring when the class is created:

* **Parameters**: one entry per signature parameter, in signature order: the
  entry the class (or a parent) wrote, else the shared declaration, with the
  default read off the signature, so the docs cannot disagree with it;
* **Attributes**: the class's own entries, then the shared fitted attributes
  of its bases.

``tests/generic/test_shared_parameters.py`` holds every public estimator to this:
signature, defaults, constraints and docstring sections against the shared
declarations.
"""

import re
import textwrap
from dataclasses import dataclass
from inspect import Parameter, signature

#: The default of a shared parameter whose value each method chooses (e.g. a
#: paper's weight decay); its docs then show the method's own default.
PER_METHOD = object()

#: Numpydoc sections in their order; a missing Parameters or Attributes
#: section is inserted before the first later section present.
SECTION_ORDER = ["Parameters", "Attributes", "See Also", "Notes", "References", "Examples"]

_SECTION = re.compile(r"^    ([A-Z][A-Za-z ]+)\n    -+\n", re.MULTILINE)
_ENTRY = re.compile(r"^    (\w+)(?: : (.*))?$")


@dataclass(frozen=True)
class SharedParameter:
    """One parameter several estimators take.

    Parameters
    ----------
    type : str
        The numpydoc type, e.g. ``"int"`` or ``'{"auto", True, False}'``.
    description : str
        The numpydoc text, wrapped, without indentation.
    constraint : list
        The parameter's ``_parameter_constraints`` entry.
    default : object, default=PER_METHOD
        The default every estimator uses, or :data:`PER_METHOD`.
    """

    type: str
    description: str
    constraint: list
    default: object = PER_METHOD

    def entry(self, name, default):
        """The numpydoc entry of the parameter ``name`` with the signature's ``default``.

        ``default`` is left out when it is :data:`PER_METHOD` or
        ``inspect.Parameter.empty`` (a required parameter).
        """
        header = f"{name} : {self.type}"
        if default is not PER_METHOD and default is not Parameter.empty:
            header += f", default={format_default(default)}"
        return _entry(header, self.description)


@dataclass(frozen=True)
class SharedAttribute:
    """One fitted attribute several estimators set.

    Parameters
    ----------
    type : str
        The numpydoc type.
    description : str
        The numpydoc text, wrapped, without indentation.
    """

    type: str
    description: str

    def entry(self, name):
        """The numpydoc entry of the attribute ``name``."""
        return _entry(f"{name} : {self.type}", self.description)


def constraints(parameters):
    """The ``_parameter_constraints`` entries of a dict of :class:`SharedParameter`."""
    return {name: parameter.constraint for name, parameter in parameters.items()}


def assign_parameters(estimator, arguments):
    """Store each ``__init__`` argument as the attribute of the same name, and nothing else.

    scikit-learn's ``__init__`` only assigns its arguments; estimators call
    ``assign_parameters(self, locals())`` instead of one line per parameter.

    Parameters
    ----------
    estimator : BaseEstimator
        The estimator being constructed.
    arguments : dict
        ``locals()`` at the start of its ``__init__``.
    """
    for name in estimator._get_param_names():
        setattr(estimator, name, arguments[name])


def format_default(value):
    """A default as the docs write it: ``"mlp"``, ``1e-05``, ``(0.08, 1.0)``, ``None``."""
    return f'"{value}"' if isinstance(value, str) else repr(value)


class SharedDocs:
    """Complete a subclass's docstring with the shared parameters and attributes.

    A class declares what it shares with its subclasses in
    ``_shared_parameters`` and ``_shared_attributes`` (dicts of
    :class:`SharedParameter` and :class:`SharedAttribute`); a class's own
    docstring entries take precedence over the shared ones of its bases.
    """

    _shared_parameters: dict = {}
    _shared_attributes: dict = {}

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        cls._check_shared_parameters()
        if cls.__doc__ is None:  # python -OO
            return
        cls._written_parameters = section_entries(cls.__doc__, "Parameters")
        cls._written_attributes = section_entries(cls.__doc__, "Attributes")
        parameters = [cls._parameter_entry(name) for name in cls._documented_defaults()]
        written = cls._inherited("_written_attributes")
        shared = cls._inherited("_shared_attributes")
        attributes = [*written.values()] + [
            attribute.entry(name) for name, attribute in shared.items() if name not in written
        ]
        doc = replace_section(cls.__doc__, "Parameters", [entry for entry in parameters if entry])
        cls.__doc__ = replace_section(doc, "Attributes", attributes)

    @classmethod
    def _check_shared_parameters(cls):
        """Refuse a class whose ``__init__`` leaves out a shared parameter it inherits.

        scikit-learn knows a parameter by the signature only; a class that
        names its parameters must name every shared one its bases declare
        (a base that passes ``**parameters`` on is not checked).
        """
        named = {parameter.name for parameter in cls._named_parameters()}
        if not named:
            return
        shared = cls._inherited("_shared_parameters")
        missing = [name for name in shared if name not in named]
        if missing:
            raise TypeError(
                f"{cls.__name__}.__init__ lacks the shared parameter(s) "
                f"{', '.join(missing)} that its base classes declare: add them to its "
                "signature (each with a default, stored by assign_parameters)."
            )

    @classmethod
    def _named_parameters(cls):
        """The named ``__init__`` parameters, in order (none for ``**parameters``)."""
        return [
            parameter
            for parameter in list(signature(cls.__init__).parameters.values())[1:]
            if parameter.kind not in (Parameter.VAR_POSITIONAL, Parameter.VAR_KEYWORD)
        ]

    @classmethod
    def _documented_defaults(cls):
        """``{name: default}`` of the parameters to document, in order.

        Those of the ``__init__`` signature; a base class without named
        ``__init__`` parameters documents the shared parameters it passes on,
        with their shared defaults.
        """
        named = cls._named_parameters()
        if named:
            return {parameter.name: parameter.default for parameter in named}
        shared = cls._inherited("_shared_parameters")
        return {name: parameter.default for name, parameter in shared.items()}

    @classmethod
    def _parameter_entry(cls, name):
        """The docs of parameter ``name``: written by the nearest class, or shared."""
        for klass in cls.__mro__:
            written = vars(klass).get("_written_parameters", {})
            if name in written:
                return written[name]
            shared = vars(klass).get("_shared_parameters", {})
            if name in shared:
                return shared[name].entry(name, cls._documented_defaults()[name])
        return None  # undocumented: tests/generic/test_shared_parameters.py says so

    @classmethod
    def _inherited(cls, table):
        """A table merged over the MRO: base entries first, overridden in place."""
        merged = {}
        for klass in reversed(cls.__mro__):
            merged.update(vars(klass).get(table, {}))
        return merged


def _entry(header, description):
    """A numpydoc entry, unindented: the header, then the description at 4 spaces."""
    return header + "\n" + textwrap.indent(description.strip("\n"), " " * 4) + "\n"


def _sections(doc):
    """``{title: (start, end)}`` of the numpydoc sections of a docstring, bodies only."""
    matches = list(_SECTION.finditer(doc))
    if not matches:
        return {}
    ends = [match.start() for match in matches[1:]] + [len(doc)]
    return {match.group(1): (match.end(), end) for match, end in zip(matches, ends, strict=True)}


def section_entries(doc, title):
    """``{name: entry}`` of section ``title`` of a docstring, as written but unindented."""
    start, end = _sections(doc).get(title, (0, 0))
    entries, name = {}, None
    for line in doc[start:end].splitlines(keepends=True):
        match = _ENTRY.match(line.rstrip("\n"))
        if match:
            name = match.group(1)
            entries[name] = ""
        if name is not None and line.strip():
            entries[name] += line.removeprefix("    ")
    return entries


def replace_section(doc, title, entries):
    """``doc`` with the body of section ``title`` made of ``entries`` (added if missing)."""
    body = textwrap.indent("".join(entries), "    ") + "\n"
    sections = _sections(doc)
    if title in sections:
        start, end = sections[title]
        return doc[:start] + body + doc[end:]
    if not entries:
        return doc
    later = SECTION_ORDER[SECTION_ORDER.index(title) + 1 :]
    starts = [match.start() for match in _SECTION.finditer(doc) if match.group(1) in later]
    at = starts[0] if starts else len(doc)
    header = f"    {title}\n    {'-' * len(title)}\n"
    return doc[:at].rstrip() + "\n\n" + header + body + "    " + doc[at:].lstrip(" ")
