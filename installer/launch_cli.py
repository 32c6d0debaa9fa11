"""Frozen entry point of the `govreport` command.

``aggregate`` reads many files in processes; started with ``spawn`` or ``forkserver`` (not Linux's
default ``fork``, but the default from Python 3.14), each would be this executable again:
``freeze_support`` makes such a start the worker (see launch_gui.py).
"""

import multiprocessing

multiprocessing.freeze_support()

from govreport_gui.cli import main  # noqa: E402

raise SystemExit(main())
