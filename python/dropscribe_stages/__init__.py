"""Stage processes for dropscribe: python -m dropscribe_stages <stage> [--warm].

Each process runs one stage: a single request, or with --warm many requests in turn with its model kept loaded.
"""
