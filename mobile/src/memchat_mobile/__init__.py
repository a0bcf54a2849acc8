"""memchat's mobile app: a connection manager and observable state in plain Python, thin Flet views on top."""
