"""The pages of the goal-setting cycle, one module per domain."""


def query_without(request, name: str) -> str:
    """The request's query string without `name`: what the links to a list's other pages keep."""
    query = request.GET.copy()
    query.pop(name, None)
    return query.urlencode()
