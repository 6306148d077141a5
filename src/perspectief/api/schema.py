"""drf-spectacular extensions: how our authentication classes appear in OpenAPI."""

from drf_spectacular.extensions import OpenApiAuthenticationExtension


class BearerTokenScheme(OpenApiAuthenticationExtension):
    target_class = "perspectief.accounts.authentication.BearerTokenAuthentication"
    name = "bearerAuth"

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "bearer",
            "description": "Personal API token (profile page or `perspectief token create`).",
        }


class SessionScheme(OpenApiAuthenticationExtension):
    target_class = "perspectief.accounts.authentication.VerifiedSessionAuthentication"
    name = "cookieAuth"

    def get_security_definition(self, auto_schema):
        return {"type": "apiKey", "in": "cookie", "name": "sessionid"}


#: The errors every operation can answer, as application/problem+json (RFC 9457).
PROBLEMS = {
    "400": "Bad request: a parameter or field is invalid (see invalidParams), or a query "
    "parameter is not one of the operation's.",
    "401": "Not authenticated.",
    "403": "Forbidden: your role may not do this.",
    "404": "Not found, or not yours to see (the two look the same).",
}
#: An operation that counts against a rate limit declares this answer (``responses``).
RATE_LIMITED = "Too many requests: a rate limit was reached (see detail); try again later."
#: Operations that take a body can also find it too large.
BODY_PROBLEMS = {"413": "The request body is larger than the platform accepts (2.5 MB)."}

PROBLEM_SCHEMA = {
    "type": "object",
    "description": "An error (RFC 9457), in the language of the request.",
    "properties": {
        "type": {"type": "string"},
        "title": {"type": "string"},
        "status": {"type": "integer"},
        "detail": {"type": "string"},
        "instance": {"type": "string"},
        "invalidParams": {
            "type": "array",
            "description": "With 400: each invalid parameter or field (NL GOV API design rules).",
            "items": {
                "type": "object",
                "properties": {
                    "name": {"type": "string"},
                    "code": {"type": "string"},
                    "reason": {"type": "string"},
                },
                "required": ["name", "code", "reason"],
            },
        },
    },
    "required": ["type", "title", "status", "detail"],
}


def declare_problems(result, generator, request, public):
    """drf-spectacular postprocessing hook: declare on every operation the problem+json
    answers it can give, so that clients and the contract test know them."""
    result.setdefault("components", {}).setdefault("schemas", {})["Problem"] = PROBLEM_SCHEMA
    problem = {"$ref": "#/components/schemas/Problem"}
    for item in result.get("paths", {}).values():
        for operation in item.values():
            answers = dict(PROBLEMS)
            if "requestBody" in operation:
                answers.update(BODY_PROBLEMS)
            for status, description in answers.items():
                operation["responses"].setdefault(
                    status,
                    {
                        "content": {"application/problem+json": {"schema": problem}},
                        "description": description,
                    },
                )
            # An error an operation declares itself (e.g. a 429) is a problem+json too.
            for status, answer in operation["responses"].items():
                if int(status) >= 400 and "content" not in answer:
                    answer["content"] = {"application/problem+json": {"schema": problem}}
            operation["responses"] = dict(sorted(operation["responses"].items()))
    return result
