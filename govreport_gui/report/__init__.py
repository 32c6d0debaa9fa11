"""Qt-free core: schema, report model, rules, file formats. Never imports PySide6."""
