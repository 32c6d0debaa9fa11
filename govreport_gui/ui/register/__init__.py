"""表三 → 从台账计算…: the register dialog."""
