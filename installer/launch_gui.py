"""Frozen entry point of the window (PyInstaller runs a script, not a package module).

The roll-up window reads many files in processes started with ``spawn``: each is this executable
again, with ``--multiprocessing-fork …`` (and the resource tracker with ``-c …``).
``freeze_support`` (PyInstaller's, on Linux too) turns such a start into the worker it was meant to
be, before the window's modules are imported: without it a worker would run the program again.
"""

import multiprocessing

multiprocessing.freeze_support()

from govreport_gui.app import main  # noqa: E402

raise SystemExit(main())
