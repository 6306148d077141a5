from rest_framework import exceptions, pagination

from . import contract


def _whole_number(request, name: str, low: int, high: int | None) -> int | None:
    """The parameter as a whole number within bounds, None when not given; else a 400."""
    raw = request.query_params.get(name, "")
    if raw == "":
        return None
    if not (raw.isascii() and raw.isdigit()) or not contract.in_range(int(raw), low, high):
        raise exceptions.ValidationError({name: [contract.whole_number_reason(low, high)]})
    return int(raw)


class PageNumberPagination(pagination.PageNumberPagination):
    """Pages of 50 by default; ``page_size`` 1 to 200. A page number or size that is not a
    whole number in range is a 400 (not silently the default); a page past the end is 404."""

    page_size_query_param = "page_size"
    max_page_size = 200
    last_page_strings = ()

    def get_page_size(self, request):
        size = _whole_number(request, self.page_size_query_param, 1, self.max_page_size)
        return self.page_size if size is None else size

    def get_page_number(self, request, paginator):
        return _whole_number(request, self.page_query_param, 1, None) or 1

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            parameter["schema"]["minimum"] = 1
            if parameter["name"] == self.page_size_query_param:
                parameter["schema"]["maximum"] = self.max_page_size
        return parameters
