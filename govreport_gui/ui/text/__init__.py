"""The 报告信息与正文 page: metadata form, date field, narrative editors."""
