"""The ``govreport`` command over the Qt-free core.

``main`` parses and dispatches (``cli/main.py``: check, import, export, carry); ``register`` and
``rollup`` hold their commands; ``common`` what every command shares (exit codes, UsageError,
checked output paths, saving).
"""

from .main import build_parser, main

__all__ = ["build_parser", "main"]
