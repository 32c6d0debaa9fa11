"""Qt-free readers: other programs' files → a ``Report``. Readers are to ``report`` what writers are
to ``export``: ``table_reader`` recognises the official tables by their labels in any grid of text,
and one module per source format turns its file into such grids (``docx_grid``/``docx_import``,
``xlsx_import``). ``formats.open_report`` picks the reader by suffix."""
