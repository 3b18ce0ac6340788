"""Stage processes for dropscribe. Run one stage per process: python -m dropscribe_stages <stage>."""
