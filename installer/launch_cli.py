"""Frozen entry point of the `govreport` command."""

from govreport_gui.cli import main

raise SystemExit(main())
