"""Use cases. Each takes a Session first, may flush, and never commits:
the request (or the CLI unit of work) owns the transaction."""
