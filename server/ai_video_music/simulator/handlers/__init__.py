"""One module per endpoint group; each handler is ``async (state, request) -> Response``."""
