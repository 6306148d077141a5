"""Where higher apps add blocks to an employer's page (registered in their ``ready()``).

The account owner of an employer may hand it over to a colleague or partner of the region.
Who those are is a question about memberships, which ``accounts`` (a higher layer) keeps, so
the employer page renders the blocks registered here instead of importing it.
"""

from perspectief.core.contributions import Contributions, Panel

#: Blocks shown to the employer's account owner, after "Release ownership". Object: ``account``.
EMPLOYER_OWNER = Contributions[Panel]("organisations.employer_owner")
