"""The exception every refusal of the LTV Lens core is raised as (defined in Python so that it pickles:
Dask and Spark carry a worker's exception back to the caller)."""

from __future__ import annotations

from typing import Dict, Mapping


class LtvLensError(ValueError):
    """The core refused a file, an option or a model fit.

    ``message`` is one English sentence (also ``str(error)``); ``code`` is stable (``no_header``,
    ``invalid_option``, … as in the README's "Warnings and errors", and ``model_not_fitted`` from
    ``fit``); ``args`` holds the values the message is made of, by name (``{"line": "17"}``), as the
    JavaScript package's ``AnalysisError`` does. Unlike other exceptions, ``args`` is that dict.
    """

    def __init__(self, message: str, code: str, args: Mapping[str, str] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.code = code
        self._named_args: Dict[str, str] = dict(args or {})

    @property  # type: ignore[override]
    def args(self) -> Dict[str, str]:  # noqa: D401 - the values of the message, by name
        return self._named_args

    def __str__(self) -> str:
        return self.message

    def __repr__(self) -> str:
        return f"LtvLensError({self.message!r}, code={self.code!r}, args={self._named_args!r})"

    def __reduce__(self):  # type: ignore[override]
        return (type(self), (self.message, self.code, self._named_args))
