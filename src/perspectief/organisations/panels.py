"""Where higher apps add blocks to an employer's page (registered in their ``ready()``).

The account owner of an employer may hand it over to a colleague or partner of the region.
Who those are is a question about memberships, which ``accounts`` (a higher layer) keeps, so
the employer page renders the blocks registered here instead of importing it. Likewise the
employer's places and its requests to the Werkgeversservicepunt live in ``vacancies``.
"""

from perspectief.core.contributions import Contributions, Panel

#: Blocks shown to the employer's account owner, after "Release ownership". Object: ``account``.
EMPLOYER_OWNER = Contributions[Panel]("organisations.employer_owner")

#: Sections of the employer's page for everyone who sees the employer (each panel keeps to
#: the ``visible_to`` rule of what it shows), after the contact persons. Object: ``account``.
EMPLOYER_PAGE = Contributions[Panel]("organisations.employer_page")
