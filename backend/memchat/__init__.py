"""memchat's backend: the Lambda handlers over a small chat domain."""
