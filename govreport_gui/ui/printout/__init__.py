"""Print, preview and PDF: one QTextDocument path, own pagination, the File menu's print actions."""
