"""GovReport: prepare, check and publish the 政府信息公开工作年度报告 (2021 national format)."""

__version__ = "0.2.0"
