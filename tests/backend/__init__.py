"""Unit tests of the backend (memchat), mirroring backend/memchat/."""
