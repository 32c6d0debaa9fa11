"""Qt-free writers: one neutral layout of the report feeds the DOCX, XLSX and HTML writers."""
