"""Sign-in for the mobile app: a Cognito user pool and a public app client whose ID tokens the authorizer checks."""

from __future__ import annotations

from aws_cdk import Duration, RemovalPolicy, Stack
from aws_cdk import aws_cognito as cognito
from constructs import Construct

from memchat_infra.nag import acknowledge


class Auth(Construct):
    """User pool and app client; exposes the issuer, JWKS URL and audience the authorizer is configured with."""

    def __init__(self, scope: Construct, id: str, *, deletion_protection: bool) -> None:
        super().__init__(scope, id)
        self.user_pool = cognito.UserPool(
            self,
            "UserPool",
            self_sign_up_enabled=True,
            sign_in_aliases=cognito.SignInAliases(email=True),
            auto_verify=cognito.AutoVerifiedAttrs(email=True),
            account_recovery=cognito.AccountRecovery.EMAIL_ONLY,
            password_policy=cognito.PasswordPolicy(
                min_length=12, require_lowercase=True, require_uppercase=True, require_digits=True,
                require_symbols=True, temp_password_validity=Duration.days(3),
            ),
            mfa=cognito.Mfa.OPTIONAL,
            mfa_second_factor=cognito.MfaSecondFactor(otp=True, sms=False),
            feature_plan=cognito.FeaturePlan.ESSENTIALS,
            deletion_protection=deletion_protection,
            removal_policy=RemovalPolicy.RETAIN if deletion_protection else RemovalPolicy.DESTROY,
        )
        self.client = self.user_pool.add_client(
            "MobileClient",
            # A mobile app cannot keep a secret; SRP or password auth over TLS to Cognito, then refresh.
            generate_secret=False,
            auth_flows=cognito.AuthFlow(user_srp=True, user_password=True),
            prevent_user_existence_errors=True,
            enable_token_revocation=True,
            id_token_validity=Duration.hours(1),
            access_token_validity=Duration.hours(1),
            refresh_token_validity=Duration.days(30),
            disable_o_auth=True,
        )
        stack = Stack.of(self)
        # The app connects with its ID token: that is the token whose `aud` is the client id.
        self.issuer = f"https://cognito-idp.{stack.region}.{stack.url_suffix}/{self.user_pool.user_pool_id}"
        self.jwks_url = f"{self.issuer}/.well-known/jwks.json"
        self.audience = self.client.user_pool_client_id

        acknowledge(self.user_pool, "AwsSolutions-COG2", "MFA is optional (TOTP), not required: a consumer chat "
                    "app whose sign-up would otherwise stop at installing an authenticator app.")
        acknowledge(self.user_pool, "AwsSolutions-COG8", "The Plus plan (threat protection) is priced per monthly "
                    "active user; Essentials with a 12-character password policy is the default here.")
