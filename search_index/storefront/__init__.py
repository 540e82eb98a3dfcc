"""The storefront search page at ``/``: server-rendered from the API's own search path,
updated in place by a little plain JavaScript (no build chain)."""
