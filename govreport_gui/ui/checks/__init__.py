"""The findings panel and where a finding leads (cells, sentences, 待填写)."""
