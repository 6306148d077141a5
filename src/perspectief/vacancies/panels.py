"""Where higher apps add blocks to a place's page (registered in their ``ready()``).

The page of a place (``vacancies:detail``) shows, to those who may see job seekers, what
``routes`` and ``matching`` keep about the place: the form that plans the cohort on a course,
the shortlist and the proposals. Those apps sit above this one, so the page does not import
them: it renders the panels registered here, in their order, each with the objects below.
"""

from perspectief.core.contributions import Contributions, Panel

#: Blocks within the cohort section, after the cohort table. Objects: ``vacancy``,
#: ``cohort`` (the members the actor may see) and ``phases`` (the place's intake phases).
PLACE_COHORT = Contributions[Panel]("vacancies.place_cohort")

#: Sections after the cohort, for those who may see job seekers. Object: ``vacancy``.
PLACE_PAGE = Contributions[Panel]("vacancies.place_page")
