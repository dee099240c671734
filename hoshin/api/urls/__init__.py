"""URLs of the API.

``public``: /api/ (namespace ``api``), the versioned API — public reads and the staff write
endpoints, which authenticate with tokens rather than a login — and its documentation page.
``staff``: /staff/api-tokens/ (namespace ``api_tokens``), the pages where staff manage tokens.
"""
