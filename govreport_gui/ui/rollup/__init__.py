"""文件 → 汇总多个单位…: the roll-up window and its units model."""
