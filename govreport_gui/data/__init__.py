"""Files shipped with the program (the built-in sample that ``govreport --self-check`` uses)."""
