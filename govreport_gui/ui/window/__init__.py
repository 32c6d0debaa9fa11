"""The main window and what hangs off it: files, autosave and recovery, menus, notes, fitting to the screen."""
