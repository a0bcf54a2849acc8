"""The local JWT issuer: its own RSA key pair, a JWKS for the authorizer, tokens for development users."""

from __future__ import annotations

import json
import time
from pathlib import Path

import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from memchat.auth import USER_ID

ISSUER = "memchat-local"
# The `aud` of every local token, checked by the authorizer as in AWS, where it is the Cognito app client's id.
AUDIENCE = "memchat-local-app"
KEY_ID = "memchat-local-1"
TOKEN_LIFETIME_SECONDS = 7 * 24 * 3600


class LocalIssuer:
    """Keeps its private key in the data folder, so tokens stay valid across restarts of the stack."""

    def __init__(self, data_dir: Path) -> None:
        path = data_dir / "issuer-key.pem"
        if path.exists():
            self._key = serialization.load_pem_private_key(path.read_bytes(), password=None)
        else:
            data_dir.mkdir(parents=True, exist_ok=True)
            self._key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
            pem = self._key.private_bytes(
                serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
            )
            path.touch(mode=0o600)
            path.write_bytes(pem)

    def jwks(self) -> dict:
        jwk = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(self._key.public_key()))
        jwk.update({"kid": KEY_ID, "use": "sig", "alg": "RS256"})
        return {"keys": [jwk]}

    def token(self, user_id: str, *, lifetime: int = TOKEN_LIFETIME_SECONDS) -> str:
        if not USER_ID.fullmatch(user_id):
            raise ValueError("A user id is 1 to 128 letters, digits or . _ @ : + -")
        now = int(time.time())
        claims = {"sub": user_id, "iss": ISSUER, "aud": AUDIENCE, "iat": now, "exp": now + lifetime, "token_use": "id"}
        return jwt.encode(claims, self._key, algorithm="RS256", headers={"kid": KEY_ID})
