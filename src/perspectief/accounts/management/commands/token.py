"""``perspectief token create --user NAME``: a personal API token for a system integration."""

import json

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from perspectief.accounts.actor import actor_for
from perspectief.accounts.models import ApiToken, Membership, User
from perspectief.accounts.services.users import token_create, token_revoke


class Command(BaseCommand):
    help = "Create, list or revoke personal API tokens (sent as 'Authorization: Bearer <token>')."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        create = sub.add_parser("create", help="Create a token; the secret is printed once.")
        create.add_argument("--user", required=True, help="Username")
        create.add_argument("--name", default="cli", help="What the token is for")
        create.add_argument("--membership", help="Membership UUID when the user has several")
        create.add_argument("--json", action="store_true")
        listing = sub.add_parser("list", help="List a user's tokens (never the secrets).")
        listing.add_argument("--user", required=True)
        revoke = sub.add_parser("revoke", help="Revoke a token by its UUID.")
        revoke.add_argument("--user", required=True)
        revoke.add_argument("token")

    def _user(self, username):
        user = User.objects.filter(username=username, is_active=True).first()
        if user is None:
            raise CommandError(f"Onbekende gebruiker / unknown user: {username}")
        return user

    def handle(self, *args, **options):
        user = self._user(options["user"])
        memberships = list(
            Membership.objects.active()
            .filter(user=user)
            .select_related("organisation__region", "user")
        )
        if options["action"] == "list":
            for token in ApiToken.objects.filter(membership__user=user).select_related(
                "membership__organisation"
            ):
                state = "revoked" if token.revoked_at else "active"
                self.stdout.write(
                    f"{token.uuid} {token.prefix}… {token.name!r} {state} ({token.membership})"
                )
            return
        if not memberships:
            raise CommandError(
                f"{user.username} heeft geen actieve rol / has no active membership."
            )
        if options["action"] == "revoke":
            token = ApiToken.objects.filter(uuid=options["token"], membership__user=user).first()
            if token is None:
                raise CommandError("Onbekend token / unknown token.")
            token_revoke(actor=actor_for(token.membership, channel="cli"), token=token)
            self.stdout.write(f"Ingetrokken / revoked: {token.prefix}…")
            return
        membership = self._pick(memberships, options.get("membership"))
        actor = actor_for(membership, channel="cli")
        try:
            token, raw = token_create(actor=actor, membership=membership, name=options["name"])
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from None
        if options["json"]:
            self.stdout.write(
                json.dumps(
                    {
                        "token": raw,
                        "uuid": str(token.uuid),
                        "user": user.username,
                        "organisation": membership.organisation.name,
                        "role": membership.role,
                    }
                )
            )
        else:
            self.stdout.write(raw)
            self.stderr.write(
                f"Token voor / for {user.username} als {membership}. Bewaar het nu: het wordt "
                "niet nog eens getoond. / Store it now: it is not shown again."
            )

    def _pick(self, memberships, chosen):
        if chosen:
            for m in memberships:
                if str(m.uuid) == chosen:
                    return m
            raise CommandError("Onbekende rol / unknown membership: " + chosen)
        if len(memberships) > 1:
            options = "\n".join(f"  {m.uuid}  {m}" for m in memberships)
            raise CommandError(
                "Deze gebruiker heeft meerdere rollen; kies er een met --membership / this user "
                "has several memberships; choose one with --membership:\n" + options
            )
        return memberships[0]
