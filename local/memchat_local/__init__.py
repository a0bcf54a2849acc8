"""memchat's local stack: the Lambda code against real local parts, with only endpoint URLs changed."""
