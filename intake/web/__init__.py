"""The public web channel: the start page, the online form and its question pages."""
