"""One test module a subject rule of backend/memchat/memory/phrasings/ (round seventeen on; earlier rounds in
../test_phrasings.py)."""
