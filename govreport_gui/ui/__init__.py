"""PySide6 layer: thin adapters over the Qt-free core (models, views, editors, dialogs, printing)."""
