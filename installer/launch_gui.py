"""Frozen entry point of the window (PyInstaller runs a script, not a package module)."""

from govreport_gui.app import main

raise SystemExit(main())
